/**
 * fastest-validator lets `null` through every optional field (`optional: true`
 * skips null as it skips undefined), so `PATCH /me {"links": null}` reached
 * `links.map` and answered 500, and any handler reading an optional field
 * could be handed a null its types say cannot be there. The OpenAPI document
 * (built from the same params) already says such fields are not nullable.
 *
 * `strictNulls` rewrites a params schema so that null is refused wherever the
 * rule does not say `nullable: true`: run with fastest-validator's
 * `considerNullAsAValue` option, a rule marked `nullable: false` treats null
 * as a missing required value (an optional one gets a message saying to leave
 * it out). Rules with a default keep taking the default for null. `any`
 * accepts null as a value, as its name says. The action's own schema is not
 * touched (the OpenAPI document reads it): the validator compiles the copy.
 */

/** One fastest-validator rule: an object rule, a shorthand string or several (multi) rules. */
type Rule = string | RuleObject | Rule[];
interface RuleObject {
  type?: string;
  optional?: boolean;
  nullable?: boolean;
  default?: unknown;
  messages?: Record<string, string>;
  props?: Record<string, Rule>;
  properties?: Record<string, Rule>;
  items?: Rule;
  rules?: Rule[];
  key?: Rule;
  value?: Rule;
  [option: string]: unknown;
}

/** The validator's own shorthand parser ("string|max:100|optional" → rule object). */
export type ShorthandParser = (shorthand: string) => RuleObject;

const NULL_REFUSED_OPTIONAL = "The '{field}' field must not be null (leave it out instead).";
const NULL_REFUSED_REQUIRED = "The '{field}' field is required and must not be null.";
const NULL_REFUSED_ITEM = "The '{field}' field must not contain null.";

function strictRule(rule: Rule, parse: ShorthandParser, nullMessage?: string): Rule {
  if (Array.isArray(rule)) return rule.map((r) => strictRule(r, parse, nullMessage));
  const object = typeof rule === "string" ? parse(rule) : { ...rule };
  if (object.type === "any" || object.type === "forbidden") return object;
  if (object.nullable !== true) {
    object.nullable = false;
    object.messages = {
      required: nullMessage ?? (object.optional === true ? NULL_REFUSED_OPTIONAL : NULL_REFUSED_REQUIRED),
      ...object.messages,
    };
  }
  if (object.props) object.props = strictFields(object.props, parse);
  if (object.properties) object.properties = strictFields(object.properties, parse);
  if (object.items !== undefined) object.items = strictRule(object.items, parse, NULL_REFUSED_ITEM);
  if (object.rules) object.rules = object.rules.map((r) => strictRule(r, parse, nullMessage));
  if (object.key !== undefined) object.key = strictRule(object.key, parse);
  if (object.value !== undefined) object.value = strictRule(object.value, parse);
  return object;
}

function strictFields(fields: Record<string, Rule>, parse: ShorthandParser): Record<string, Rule> {
  const out: Record<string, Rule> = {};
  for (const [name, rule] of Object.entries(fields)) {
    // `$$strict`, `$$async`, `$$root` … are options of the schema, not fields.
    out[name] = name.startsWith("$$") ? rule : strictRule(rule, parse);
  }
  return out;
}

/** A copy of a params schema in which null is refused unless a rule says `nullable: true`. */
export function strictNulls(schema: Record<string, unknown>, parse: ShorthandParser): Record<string, unknown> {
  // A `$$root` schema is one rule for the whole params value.
  if (schema.$$root === true) return { ...(strictRule(schema as RuleObject, parse) as RuleObject), $$root: true };
  return strictFields(schema as Record<string, Rule>, parse);
}
