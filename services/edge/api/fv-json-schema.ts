/**
 * fastest-validator rules → JSON Schema (OpenAPI 3.1 dialect), for the
 * common rule types. Unknown types become an unconstrained schema rather
 * than a wrong one.
 */
export type JsonSchema = Record<string, unknown>;
type Rule = string | Record<string, unknown> | Rule[];

export interface ConvertedProperty {
  schema: JsonSchema;
  optional: boolean;
}

/** "string|min:3|optional" → { type: "string", min: 3, optional: true } */
function parseShorthand(rule: string): Record<string, unknown> {
  const [type, ...flags] = rule.split("|");
  const out: Record<string, unknown> = { type: type?.trim() };
  for (const flag of flags) {
    const [key, value] = flag.split(":");
    if (!key) continue;
    if (value === undefined) out[key.trim()] = true;
    else
      out[key.trim()] = Number.isNaN(Number(value))
        ? value === "true"
          ? true
          : value === "false"
            ? false
            : value
        : Number(value);
  }
  return out;
}

function normalize(rule: Rule): Record<string, unknown> {
  if (typeof rule === "string") return parseShorthand(rule);
  if (Array.isArray(rule)) return { type: "multi", rules: rule };
  return rule;
}

function num(r: Record<string, unknown>, key: string): number | undefined {
  return typeof r[key] === "number" ? (r[key] as number) : undefined;
}

export function ruleToSchema(raw: Rule): ConvertedProperty {
  const r = normalize(raw);
  const optional = r.optional === true || r.default !== undefined;
  const schema: JsonSchema = {};
  switch (r.type) {
    case "string": {
      schema.type = "string";
      const min = num(r, "min") ?? num(r, "length");
      const max = num(r, "max") ?? num(r, "length");
      if (min !== undefined) schema.minLength = min;
      if (max !== undefined) schema.maxLength = max;
      if (typeof r.pattern === "string") schema.pattern = r.pattern;
      else if (r.pattern instanceof RegExp) schema.pattern = r.pattern.source;
      if (Array.isArray(r.enum)) schema.enum = r.enum;
      break;
    }
    case "number": {
      schema.type = r.integer === true ? "integer" : "number";
      if (num(r, "min") !== undefined) schema.minimum = num(r, "min");
      if (num(r, "max") !== undefined) schema.maximum = num(r, "max");
      if (r.positive === true) schema.exclusiveMinimum = 0;
      break;
    }
    case "boolean":
      schema.type = "boolean";
      break;
    case "email":
      Object.assign(schema, { type: "string", format: "email" });
      break;
    case "url":
      Object.assign(schema, { type: "string", format: "uri" });
      break;
    case "uuid":
      Object.assign(schema, { type: "string", format: "uuid" });
      break;
    case "date":
      Object.assign(schema, { type: "string", format: "date-time" });
      break;
    case "enum":
      schema.enum = Array.isArray(r.values) ? r.values : [];
      break;
    case "equal":
      schema.const = r.value;
      break;
    case "array": {
      schema.type = "array";
      if (r.items !== undefined) schema.items = ruleToSchema(r.items as Rule).schema;
      if (num(r, "min") !== undefined) schema.minItems = num(r, "min");
      if (num(r, "max") !== undefined) schema.maxItems = num(r, "max");
      if (r.unique === true) schema.uniqueItems = true;
      break;
    }
    case "object": {
      schema.type = "object";
      const props = (r.props ?? r.properties) as Record<string, Rule> | undefined;
      if (props) Object.assign(schema, paramsToObjectSchema(props));
      if (r.strict === true || r.strict === "remove") schema.additionalProperties = false;
      break;
    }
    case "multi":
      schema.anyOf = (r.rules as Rule[]).map((x) => ruleToSchema(x).schema);
      break;
    default:
      // any, custom, function, objectID...: say nothing rather than something wrong.
      break;
  }
  if (r.nullable === true && typeof schema.type === "string") schema.type = [schema.type, "null"];
  if (r.default !== undefined && typeof r.default !== "function") schema.default = r.default;
  if (typeof r.description === "string") schema.description = r.description;
  return { schema, optional };
}

/** A whole `params` block → object schema; `$$`-prefixed keys are validator options, not params. */
export function paramsToObjectSchema(params: Record<string, Rule>): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  for (const [name, rule] of Object.entries(params)) {
    if (name.startsWith("$$")) continue;
    const { schema, optional } = ruleToSchema(rule);
    properties[name] = schema;
    if (!optional) required.push(name);
  }
  return required.length ? { type: "object", properties, required } : { type: "object", properties };
}
