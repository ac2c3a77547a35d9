import { DEFAULT_BASE_PATH, type RouteSpec, type RouteTable } from "./route-table";
import { paramsToObjectSchema, ruleToSchema, type JsonSchema } from "./fv-json-schema";
import { mergeDefs } from "../../../lib/http/response-schema";
import { cachedReadTtlS } from "./fast-cache";
import { WEB_SESSION_SECURITY_SCHEME, WEB_SESSION_TOKENS, webSessionPaths } from "./openapi-web-session";
import { SYSTEM_SCHEMAS, systemPaths } from "./openapi-system";

/**
 * OpenAPI 3.1 built from the route tables plus each action's fastest-validator
 * `params`, so the document is exactly what the gateway exposes; plus the web
 * session routes the gateway answers itself (openapi-web-session.ts) and its
 * system routes, health and this document (openapi-system.ts).
 */
export type ParamsLookup = (action: string) => Record<string, unknown> | undefined;
/** An action definition's `cache` option (what the gateway's fast path reads to keep its answers). */
export type CacheLookup = (action: string) => unknown;

export interface OpenApiDocument {
  openapi: "3.1.0";
  info: { title: string; version: string };
  servers: Array<{ url: string }>;
  paths: Record<string, Record<string, unknown>>;
  components: { securitySchemes: Record<string, unknown>; schemas: Record<string, JsonSchema> };
}

const ERROR_SCHEMA: JsonSchema = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["code", "message", "details", "requestId"],
      properties: {
        code: { type: "string" },
        message: { type: "string" },
        details: {
          type: "array",
          items: {
            type: "object",
            required: ["message"],
            properties: { field: { type: "string" }, message: { type: "string" } },
          },
        },
        requestId: { type: "string" },
      },
    },
  },
};

/** "/channels/:slug" → "/channels/{slug}", "/:path(.*)" → "/{path}"; returns the names too. */
export function toOpenApiPath(path: string): { path: string; names: string[] } {
  const names: string[] = [];
  const converted = path.replace(/:([A-Za-z0-9_]+)(\([^)]*\))?[?*+]?/g, (_m, name: string) => {
    names.push(name);
    return `{${name}}`;
  });
  return { path: converted, names };
}

function joinPath(base: string, path: string): string {
  const joined = `${base.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
  return joined.length > 1 ? joined.replace(/\/+$/, "") : joined;
}

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
});

/**
 * The success response: its status (201 for creates, with Location) and the media types of a non-JSON body;
 * on a cached public read (`conditional`) the ETag of the 200 and the 304 a matching If-None-Match gets.
 */
function successResponses(route: RouteSpec, conditional: boolean): Record<string, unknown> {
  const response: Record<string, unknown> = {
    description: route.status === 201 ? "Created" : route.status === 202 ? "Accepted" : "Success",
  };
  if (route.responseTypes?.length)
    response.content = Object.fromEntries(route.responseTypes.map((type) => [type, { schema: { type: "string" } }]));
  else if (route.response)
    response.content = {
      "application/json": { schema: route.response.json },
      ...Object.fromEntries((route.response.textTypes ?? []).map((type) => [type, { schema: { type: "string" } }])),
    };
  if (route.status === 201)
    response.headers = { Location: { description: "Where the new resource is read", schema: { type: "string" } } };
  if (conditional) {
    response.headers = { ...(response.headers as object | undefined), ETag: ETAG_HEADER };
    return { [String(route.status ?? 200)]: response, "304": NOT_MODIFIED_RESPONSE };
  }
  if (!route.byteRanges) return { [String(route.status ?? 200)]: response };
  // A file (not a playlist) says it takes ranges; a satisfiable single range gets 206 with its part.
  response.headers = { "Accept-Ranges": ACCEPT_RANGES_HEADER, "Content-Length": CONTENT_LENGTH_HEADER };
  return {
    "200": response,
    "206": {
      description: "Partial Content: the bytes of the one range asked for",
      headers: {
        "Content-Range": {
          description: "`bytes <first>-<last>/<size>`",
          required: true,
          schema: { type: "string", pattern: "^bytes \\d+-\\d+/\\d+$" },
        },
        "Accept-Ranges": { ...ACCEPT_RANGES_HEADER, required: true },
        "Content-Length": { ...CONTENT_LENGTH_HEADER, required: true },
      },
      ...(response.content ? { content: response.content } : {}),
    },
  };
}

const ACCEPT_RANGES_HEADER = {
  description: "`bytes` on files that take a `Range` header (absent on playlists, always sent whole)",
  schema: { type: "string", enum: ["bytes"] },
};
/**
 * Sent when the gateway keeps this route's answers (fast-path.ts: a read cacher and READ_CACHE_TTL_S > 0,
 * no Authorization or Cookie header); a strong validator of the body bytes.
 */
const ETAG_HEADER = {
  description: "Strong validator of this body, for If-None-Match (anonymous requests, gateway cache on)",
  schema: { type: "string" },
};
const NOT_MODIFIED_RESPONSE = {
  description: "Not Modified: If-None-Match matched the current ETag (no body)",
  headers: { ETag: { ...ETAG_HEADER, required: true } },
};
/** The `If-None-Match` request header of a cached public read (RFC 9110 §13.1.2). */
const IF_NONE_MATCH_PARAMETER = {
  name: "If-None-Match",
  in: "header",
  required: false,
  description: "ETags the client holds (or `*`); a match gets 304 without a body",
  schema: { type: "string" },
};
const CONTENT_LENGTH_HEADER = { description: "Bytes in this body", schema: { type: "integer", minimum: 0 } };

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

/** The failures the gateway itself can answer on this route (a service may add 409 and others: `default`). */
function errorResponses(route: RouteSpec, hasPathParams: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {
    "400": errorResponse(
      "Invalid parameters, unknown query parameter or malformed body (VALIDATION_ERROR, MALFORMED_JSON)",
    ),
  };
  if (route.auth !== "none") out["401"] = errorResponse("Missing, invalid or expired token (UNAUTHORIZED)");
  if (route.auth === "required" || route.roles?.length)
    out["403"] = errorResponse("A role or ownership is missing (FORBIDDEN)");
  if (hasPathParams) out["404"] = errorResponse("Nothing has this id; details name the path parameter (NOT_FOUND)");
  if (route.byteRanges)
    out["416"] = {
      description: "Range Not Satisfiable: the range starts past the end of the file (empty body)",
      headers: {
        "Content-Range": {
          description: "`bytes */<size>`: the file's size",
          required: true,
          schema: { type: "string", pattern: "^bytes \\*/\\d+$" },
        },
      },
    };
  const hasBody = route.stream === true || route.method !== "GET";
  if (hasBody) {
    out["413"] = errorResponse("Body too large (PAYLOAD_TOO_LARGE)");
    out["415"] = errorResponse("Body of a type this route does not take (UNSUPPORTED_MEDIA_TYPE)");
  }
  out["429"] = errorResponse("Rate limited; Retry-After says when to retry (RATE_LIMITED)");
  out["503"] = errorResponse("A service or its database is unavailable; Retry-After (SERVICE_UNAVAILABLE)");
  return out;
}

function operation(
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

export function buildOpenApi(
  tables: RouteTable[],
  lookup: ParamsLookup,
  info: { title: string; version: string; serverUrl: string },
  cacheOf: CacheLookup = () => undefined,
): OpenApiDocument {
  const paths: OpenApiDocument["paths"] = {};
  for (const table of tables) {
    for (const route of table.routes) {
      const { path, names } = toOpenApiPath(joinPath(table.basePath ?? DEFAULT_BASE_PATH, route.path));
      paths[path] ??= {};
      (paths[path] as Record<string, unknown>)[route.method.toLowerCase()] = operation(
        route,
        names,
        lookup(route.action),
        cacheOf(route.action),
      );
    }
  }
  Object.assign(paths, webSessionPaths(lookup("identity.login")), systemPaths());
  const named = mergeDefs([
    ...tables.flatMap((t) => [...t.routes.flatMap((r) => (r.response ? [r.response] : [])), ...(t.schemas ?? [])]),
    WEB_SESSION_TOKENS,
    ...SYSTEM_SCHEMAS,
  ]);
  referenceNamedEnums(paths, named);
  return {
    openapi: "3.1.0",
    info: { title: info.title, version: info.version },
    servers: [{ url: info.serverUrl }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" },
        webSession: WEB_SESSION_SECURITY_SCHEME,
      },
      // Named response schemas (Video, VideoPage…), shared by every operation that answers them.
      schemas: {
        ...named,
        Error: ERROR_SCHEMA,
      },
    },
  };
}

/**
 * A request field (query parameter or body property, from the action's
 * params) whose enum is exactly a named string enum's becomes a `$ref` to it:
 * the document names the list once, and the generated client types and
 * constants use that name.
 */
function referenceNamedEnums(paths: OpenApiDocument["paths"], named: Record<string, JsonSchema>): void {
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
