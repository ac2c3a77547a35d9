/**
 * One OpenAPI operation of a route (openapi.ts): security, path, query and
 * header parameters, request body, from the route and its action's
 * fastest-validator `params`.
 */
import { cachedReadTtlS } from "./fast-cache";
import { paramsToObjectSchema, ruleToSchema } from "./fv-json-schema";
import { errorResponse, errorResponses, successResponses } from "./openapi-responses";
import type { RouteSpec } from "./route-table";

/** The `If-None-Match` request header of a cached public read (RFC 9110 §13.1.2). */
const IF_NONE_MATCH_PARAMETER = {
  name: "If-None-Match",
  in: "header",
  required: false,
  description: "ETags the client holds (or `*`); a match gets 304 without a body",
  schema: { type: "string" },
};

/** The `Range` request header of a byteRanges route (RFC 9110 §14.2): one range; several get the whole file. */
const RANGE_PARAMETER = {
  name: "Range",
  in: "header",
  required: false,
  description:
    "One byte range, `bytes=<first>-[<last>]` or `bytes=-<suffix>`; another unit, several ranges or an " +
    "invalid one get the whole file (200), a range starting past the end 416",
  schema: { type: "string" },
};

export function operation(
  route: RouteSpec,
  names: string[],
  params: Record<string, unknown> | undefined,
  cache: unknown,
): Record<string, unknown> {
  // The same test the fast path fills its cache by: this answer may carry an ETag and answer 304.
  const conditional = cachedReadTtlS(route, cache) !== undefined;
  const op: Record<string, unknown> = {
    summary: route.summary,
    operationId: `${route.method.toLowerCase()}_${route.action.replace(/\./g, "_")}`,
    "x-action": route.action,
    responses: {
      ...successResponses(route, conditional),
      ...errorResponses(route, names.length > 0),
      default: errorResponse("Error"),
    },
  };
  if (route.auth === "required") op.security = [{ bearer: [] }];
  else if (route.auth === "optional") op.security = [{}, { bearer: [] }];
  else op.security = [];
  if (route.roles?.length) op["x-roles"] = route.roles;

  const fields = (params ?? {}) as Record<string, Parameters<typeof ruleToSchema>[0]>;
  const parameters: Array<Record<string, unknown>> = names.map((name) => ({
    name,
    in: "path",
    required: true,
    schema: fields[name] !== undefined ? ruleToSchema(fields[name]).schema : { type: "string" },
  }));
  const rest = Object.fromEntries(Object.entries(fields).filter(([k]) => !names.includes(k) && !k.startsWith("$$")));
  if (route.byteRanges) parameters.push(RANGE_PARAMETER);
  if (conditional) parameters.push(IF_NONE_MATCH_PARAMETER);
  if (route.stream) {
    op.requestBody = {
      required: true,
      content: {
        "application/octet-stream": { schema: { type: "string", contentMediaType: "application/octet-stream" } },
      },
    };
  } else if (route.method === "GET") {
    // Only GET takes its fields in the query. A DELETE's fields (DELETE /me's password) travel in a JSON body:
    // a secret in a URL ends up in access logs and proxies.
    for (const [name, rule] of Object.entries(rest)) {
      const { schema, optional } = ruleToSchema(rule);
      parameters.push({ name, in: "query", required: !optional, schema });
    }
  } else if (Object.keys(rest).length > 0) {
    op.requestBody = { required: true, content: { "application/json": { schema: paramsToObjectSchema(rest) } } };
  }
  if (parameters.length) op.parameters = parameters;
  return op;
}
