/**
 * Checks a value against the JSON Schema subset the response schemas emit
 * (lib/http/response-schema.ts): type (one or several), const, enum,
 * properties, required, additionalProperties, items, minItems, maxItems, anyOf, `$ref` into
 * `#/components/schemas/`, and the date-time format. A keyword outside the
 * subset is an error rather than silently passing, so the check cannot
 * become weaker than the schema it reads. Used by the tests that call real
 * routes and compare each body with the OpenAPI document.
 */
import type { JsonSchema } from "./response-schema";

export interface SchemaViolation {
  /** JSON pointer-like path of the offending value, "" for the root. */
  path: string;
  message: string;
}

const KNOWN = new Set([
  "type",
  "const",
  "enum",
  "properties",
  "required",
  "additionalProperties",
  "items",
  "minItems",
  "maxItems",
  "anyOf",
  "$ref",
  "format",
  "description",
]);

function typeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  return typeof value;
}

function matchesType(value: unknown, type: string): boolean {
  const actual = typeOf(value);
  return actual === type || (type === "number" && actual === "integer");
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

export function checkJsonSchema(
  value: unknown,
  schema: JsonSchema,
  components: Record<string, JsonSchema> = {},
  path = "",
): SchemaViolation[] {
  const out: SchemaViolation[] = [];
  const fail = (message: string, at = path) => out.push({ path: at, message });
  for (const key of Object.keys(schema)) if (!KNOWN.has(key)) fail(`schema keyword "${key}" is not supported`);

  if (typeof schema.$ref === "string") {
    const name = schema.$ref.replace(/^#\/components\/schemas\//, "");
    const target = components[name];
    if (target === undefined) fail(`unknown $ref ${schema.$ref}`);
    else out.push(...checkJsonSchema(value, target, components, path));
    return out;
  }
  if (Array.isArray(schema.anyOf)) {
    const branches = (schema.anyOf as JsonSchema[]).map((branch) => checkJsonSchema(value, branch, components, path));
    if (branches.every((violations) => violations.length > 0))
      fail(`matches no anyOf branch: ${branches.map((b) => b[0]?.message).join(" | ")}`);
  }
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((type) => matchesType(value, type))) {
      fail(`expected ${types.join(" or ")}, got ${typeOf(value)}`);
      return out;
    }
  }
  if ("const" in schema && value !== schema.const) fail(`expected ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.includes(value))
    fail(`${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`);
  if (schema.format === "date-time" && typeof value === "string" && !DATE_TIME.test(value))
    fail(`"${value}" is not a date-time`);

  if (typeOf(value) === "object") {
    const record = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    for (const name of (schema.required ?? []) as string[])
      if (!(name in record) || record[name] === undefined) fail("missing", `${path}/${name}`);
    for (const [name, child] of Object.entries(record)) {
      const declared = properties[name];
      if (declared !== undefined) out.push(...checkJsonSchema(child, declared, components, `${path}/${name}`));
      else if (schema.additionalProperties === false) fail("not declared in the schema", `${path}/${name}`);
      else if (typeof schema.additionalProperties === "object" && schema.additionalProperties !== null)
        out.push(...checkJsonSchema(child, schema.additionalProperties as JsonSchema, components, `${path}/${name}`));
    }
  }
  if (Array.isArray(value) && typeof schema.minItems === "number" && value.length < schema.minItems)
    fail(`expected at least ${schema.minItems} items, got ${value.length}`);
  if (Array.isArray(value) && typeof schema.maxItems === "number" && value.length > schema.maxItems)
    fail(`expected at most ${schema.maxItems} items, got ${value.length}`);
  if (Array.isArray(value) && schema.items !== undefined)
    value.forEach((item, i) =>
      out.push(...checkJsonSchema(item, schema.items as JsonSchema, components, `${path}/${i}`)),
    );
  return out;
}
