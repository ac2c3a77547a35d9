import type { JsonSchema } from "./fv-json-schema";

/**
 * A request field (query parameter or body property, from the action's
 * params) whose enum is exactly a named string enum's becomes a `$ref` to it:
 * the document names the list once, and the generated client types and
 * constants use that name.
 */
export function referenceNamedEnums(
  paths: Record<string, Record<string, unknown>>,
  named: Record<string, JsonSchema>,
): void {
  const enums = new Map<string, string>();
  for (const [name, schema] of Object.entries(named))
    if (schema.type === "string" && Array.isArray(schema.enum) && Object.keys(schema).length === 2)
      enums.set(JSON.stringify(schema.enum), name);
  if (enums.size === 0) return;
  const visit = (schema: JsonSchema): JsonSchema => {
    const keys = Object.keys(schema).filter((k) => k !== "type" && k !== "enum");
    const name = Array.isArray(schema.enum) && keys.length === 0 ? enums.get(JSON.stringify(schema.enum)) : undefined;
    if (name) return { $ref: `#/components/schemas/${name}` };
    const out: JsonSchema = { ...schema };
    if (schema.properties && typeof schema.properties === "object")
      out.properties = Object.fromEntries(
        Object.entries(schema.properties as Record<string, JsonSchema>).map(([k, v]) => [k, visit(v)]),
      );
    if (schema.items && typeof schema.items === "object" && !Array.isArray(schema.items))
      out.items = visit(schema.items as JsonSchema);
    return out;
  };
  for (const item of Object.values(paths))
    for (const op of Object.values(item) as Array<{
      parameters?: Array<{ schema?: JsonSchema }>;
      requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
    }>) {
      for (const param of op.parameters ?? []) if (param.schema) param.schema = visit(param.schema);
      for (const media of Object.values(op.requestBody?.content ?? {}))
        if (media.schema) media.schema = visit(media.schema);
    }
}
