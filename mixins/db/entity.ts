/**
 * How a service declares the data it owns. One definition drives every
 * backend (PostgreSQL, embedded PGlite, MongoDB), so service code never
 * depends on where its documents live.
 */
export type FieldType = "string" | "text" | "integer" | "bigint" | "boolean" | "date" | "json" | "float";

export interface FieldDef {
  type: FieldType;
  required?: boolean;
  /** Applied on insert when the field is undefined. Functions are called per insert (e.g. `() => []`). */
  default?: unknown;
}

/** A MongoDB index; in PostgreSQL indexes are declared in the SQL migrations. */
export interface IndexDef {
  fields: Record<string, 1 | -1>;
  unique?: boolean;
}

export interface EntityDefinition {
  /** table (Postgres, inside the service's schema) or collection (Mongo: `<schema>.<table>`) name */
  table: string;
  /** "document" entities go to MongoDB when MONGO_URI is set, else to Postgres (json fields as JSONB) */
  kind: "relational" | "document";
  /**
   * `id` (string primary key, randomUUID when absent on insert), `createdAt`
   * and `updatedAt` are implicit and managed by the store. In PostgreSQL each
   * field is a column named in snake_case (`viewerCount` -> `viewer_count`).
   */
  fields: Record<string, FieldDef>;
  /** MongoDB only: indexes created at boot (Postgres gets them from migrations). */
  indexes?: IndexDef[];
}

type Present<T> = Exclude<T, null | undefined>;

/** The field types a TypeScript property type may be stored as. */
export type FieldTypeFor<T> = [Present<T>] extends [Date]
  ? "date"
  : [Present<T>] extends [boolean]
    ? "boolean"
    : [Present<T>] extends [number]
      ? "integer" | "bigint" | "float"
      : [Present<T>] extends [string]
        ? "string" | "text"
        : "json";

/** A field that may be absent is nullable; one that may not needs `required` or a `default`. */
type PresenceFor<T> = null extends T
  ? { required?: false }
  : undefined extends T
    ? { required?: false }
    : { required: true } | { default: unknown };

/**
 * The field map of document type `D`: exactly its properties (minus the
 * implicit id and timestamps), each with a storage type that fits the
 * property's TypeScript type. The SQL side is checked by each service's
 * schema test (test/integration/<context>/<service>/<name>.schema.test.ts).
 */
export type EntityFields<D extends BaseDocument> = {
  [K in Exclude<keyof D, keyof BaseDocument>]-?: FieldDef & { type: FieldTypeFor<D[K]> } & PresenceFor<D[K]>;
};

/**
 * Declares an entity whose field map must match the document interface:
 * `entity<ChannelDoc>()({ table: "channels", kind: "relational", fields: {...} })`.
 * A property added to the interface but not to the map (or the other way
 * round), or a type that does not fit, fails the typecheck.
 */
export function entity<D extends BaseDocument>() {
  return (definition: Omit<EntityDefinition, "fields"> & { fields: EntityFields<D> }): EntityDefinition =>
    definition as EntityDefinition;
}

/** dir holds NNN_description.sql files, applied in numeric order. */
export interface MigrationSet {
  name: string;
  dir: string;
}

export interface DbMixinOptions {
  /** Postgres schema that holds this service's tables, e.g. "users". Each service owns one schema. */
  schema: string;
  entities: Record<string, EntityDefinition>;
  /** entity that backs moleculer-db's `this.adapter` */
  primary: string;
  migrations: MigrationSet[];
}

/** Every stored document: plain object, string id, store-managed timestamps. */
export interface BaseDocument {
  id: string;
  createdAt: Date;
  updatedAt: Date;
}

export const IMPLICIT_FIELDS = ["id", "createdAt", "updatedAt"] as const;

/** camelCase field name -> snake_case column name. */
export function columnName(field: string): string {
  return field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Schema, table and column names go into SQL as quoted identifiers; refuse anything odd at boot. */
export function assertIdentifier(kind: string, name: string): void {
  if (!IDENTIFIER.test(name)) throw new Error(`Invalid ${kind} name "${name}": use lower-case letters, digits and _`);
}

/** Fails fast on definitions that would produce broken SQL or ambiguous documents. */
export function validateDefinition(options: DbMixinOptions): void {
  assertIdentifier("schema", options.schema);
  if (!options.entities[options.primary])
    throw new Error(`DbMixin: primary entity "${options.primary}" is not in entities`);
  for (const [key, entity] of Object.entries(options.entities)) {
    assertIdentifier(`table of entity ${key}`, entity.table);
    for (const field of Object.keys(entity.fields)) {
      if ((IMPLICIT_FIELDS as readonly string[]).includes(field))
        throw new Error(`DbMixin: ${key}.${field} is implicit, do not declare it`);
      if (!/^[a-zA-Z][a-zA-Z0-9]*$/.test(field))
        throw new Error(`DbMixin: field name ${key}.${field} must be camelCase letters/digits`);
      assertIdentifier(`column of ${key}.${field}`, columnName(field));
    }
  }
  const names = new Set<string>();
  for (const set of options.migrations) {
    if (names.has(set.name)) throw new Error(`DbMixin: duplicate migration set "${set.name}"`);
    names.add(set.name);
  }
}
