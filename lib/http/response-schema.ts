/**
 * Typed JSON Schemas for response bodies. Each builder returns a `Schema<T>`
 * whose `T` is the TypeScript type of the value the action returns, so a
 * route's declared response can be checked against its action's result type
 * in the ActionMap (services/edge/api/route-table.ts, `routeTable()`): a field
 * added to a view but not to its schema, or a nullable one declared as not
 * nullable, fails `npm run typecheck`.
 *
 *   const VIDEO = s.named("Video", s.object<VideoView>()({ id: s.string(), ... }));
 *
 * `named` schemas become `components/schemas` entries in the OpenAPI document
 * (the web client gets one type per name) and are referenced by `$ref`.
 */
export type JsonSchema = Record<string, unknown>;

export interface Schema<T> {
  /** The schema, with `$ref`s to the named schemas it uses. */
  readonly json: JsonSchema;
  /** Named schemas this one uses (itself included when named), by component name. */
  readonly defs: Readonly<Record<string, JsonSchema>>;
  /**
   * Phantom, never set: a function of T in and out makes Schema invariant in
   * T, so Schema<string> is not accepted where Schema<string | null> is meant.
   */
  readonly type?: (value: T) => T;
  /**
   * Media types the same route may answer instead of JSON (a CSV download of
   * the same data): `s.orText()` adds them, the document lists them.
   */
  readonly textTypes?: readonly string[];
  /** Only `s.optional()` sets it, so an optional schema is refused for a required property. */
  readonly optional?: false;
}

/** A property that may be absent: only allowed (and required) for optional properties of T. */
export type Optional<T> = Omit<Schema<T>, "optional"> & { readonly optional: true };

type OptionalKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T];
type RequiredKeys<T> = Exclude<keyof T, OptionalKeys<T>>;

/** One schema per property of T: required properties a plain one, optional ones `s.optional(...)`. */
export type PropertySchemas<T> = { [K in RequiredKeys<T>]-?: Schema<T[K]> } & {
  [K in OptionalKeys<T>]-?: Optional<Exclude<T[K], undefined>>;
};

function make<T>(json: JsonSchema, ...children: Array<Pick<Schema<unknown>, "defs">>): Schema<T> {
  return { json, defs: mergeDefs(children) };
}

/** Unions the named schemas of several schemas; one name used for two different schemas is a bug. */
export function mergeDefs(schemas: ReadonlyArray<Pick<Schema<unknown>, "defs">>): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  for (const schema of schemas)
    for (const [name, def] of Object.entries(schema.defs)) {
      const known = out[name];
      if (known !== undefined && JSON.stringify(known) !== JSON.stringify(def))
        throw new Error(`Two different response schemas are both named "${name}"`);
      out[name] = def;
    }
  return out;
}

const asAny = <T>(schema: Schema<T>): Schema<unknown> => schema as unknown as Schema<unknown>;

export const s = {
  string: (extra: { format?: "uri" | "email" | "uuid" } = {}): Schema<string> => make({ type: "string", ...extra }),
  /** An ISO 8601 timestamp as the view holds it (a string). */
  dateTime: (): Schema<string> => make({ type: "string", format: "date-time" }),
  /** A Date the action returns, which JSON carries as an ISO 8601 string. */
  date: (): Schema<Date> => make({ type: "string", format: "date-time" }),
  integer: (): Schema<number> => make({ type: "integer" }),
  number: (): Schema<number> => make({ type: "number" }),
  boolean: (): Schema<boolean> => make({ type: "boolean" }),
  /** A literal: `s.literal(true)` for `deleted: true`. */
  literal: <const V extends string | number | boolean>(value: V): Schema<V> =>
    make({ type: typeof value === "number" ? "number" : typeof value, const: value }),
  enum: <const V extends string>(values: readonly V[]): Schema<V> => make({ type: "string", enum: [...values] }),
  nullable: <T>(inner: Schema<T>): Schema<T | null> => make(nullableJson(inner.json), asAny(inner)),
  optional: <T>(inner: Schema<T>): Optional<T> => ({ ...inner, optional: true }),
  array: <T>(items: Schema<T>): Schema<T[]> => make({ type: "array", items: items.json }, asAny(items)),
  /** Exactly two items of one shape (the two sides of a match). */
  pair: <T>(items: Schema<T>): Schema<[T, T]> =>
    make({ type: "array", items: items.json, minItems: 2, maxItems: 2 }, asAny(items)),
  /** Any JSON scalar (free-form data values). */
  scalar: (): Schema<string | number | boolean | null> => make({ type: ["string", "number", "boolean", "null"] }),
  /** A map with free keys (headers, counts per key). */
  record: <T>(values: Schema<T>): Schema<Record<string, T>> =>
    make({ type: "object", additionalProperties: values.json }, asAny(values)),
  /**
   * An object with exactly T's properties. Additional properties are refused:
   * a field a view gains without its schema fails the response check.
   */
  object:
    <T>() =>
    (props: PropertySchemas<T>): Schema<T> => {
      const entries = Object.entries(
        props as Record<string, Omit<Schema<unknown>, "optional"> & { optional?: boolean }>,
      );
      const properties = Object.fromEntries(entries.map(([name, schema]) => [name, schema.json]));
      const required = entries.filter(([, schema]) => schema.optional !== true).map(([name]) => name);
      return make(
        { type: "object", properties, ...(required.length ? { required } : {}), additionalProperties: false },
        ...entries.map(([, schema]) => schema),
      );
    },
  /** One of several shapes (a result that differs by case). */
  oneOf: <A, B>(a: Schema<A>, b: Schema<B>): Schema<A | B> => make({ anyOf: [a.json, b.json] }, asAny(a), asAny(b)),
  /**
   * A value whose shape the API does not promise (opaque tokens, provider
   * data): no constraint, typed as the action types it. Use sparingly.
   */
  opaque: <T>(description: string): Schema<T> => make({ description }),
  /** JSON, or the same data as text of `mediaType` (`?format=csv`): the action returns T or a string. */
  orText: <T>(schema: Schema<T>, mediaType: string): Schema<T | string> => ({
    json: schema.json,
    defs: schema.defs,
    textTypes: [...(schema.textTypes ?? []), mediaType],
  }),
  /** A components/schemas entry, referenced where used. */
  named: <T>(name: string, schema: Schema<T>): Schema<T> => {
    if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name)) throw new Error(`Schema name "${name}" must be letters and digits`);
    return {
      json: { $ref: `#/components/schemas/${name}` },
      defs: mergeDefs([schema, { defs: { [name]: schema.json } }]),
    };
  },
};

function nullableJson(json: JsonSchema): JsonSchema {
  if (typeof json.type === "string" && json.const === undefined)
    return {
      ...json,
      type: [json.type, "null"],
      ...(Array.isArray(json.enum) ? { enum: [...(json.enum as unknown[]), null] } : {}),
    };
  return { anyOf: [json, { type: "null" }] };
}

/** `{ items, nextCursor }` (lib/pagination/cursor-page.ts), named `<Item>CursorPage`. */
export function cursorPageSchema<T>(
  itemName: string,
  item: Schema<T>,
): Schema<{ items: T[]; nextCursor: string | null }> {
  return s.named(
    `${itemName}CursorPage`,
    s.object<{ items: T[]; nextCursor: string | null }>()({ items: s.array(item), nextCursor: s.nullable(s.string()) }),
  );
}

/** The fields every stored document has (mixins/db BaseDocument), for schemas of stored records (the data export). */
export const STORED_DOCUMENT_FIELDS: PropertySchemas<{ id: string; createdAt: Date; updatedAt: Date }> = {
  id: s.string(),
  createdAt: s.date(),
  updatedAt: s.date(),
};
