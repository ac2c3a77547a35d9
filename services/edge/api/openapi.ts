import { DEFAULT_BASE_PATH, type RouteTable } from "./route-table";
import type { JsonSchema } from "./fv-json-schema";
import { mergeDefs } from "../../../lib/http/response-schema";
import { ERROR_SCHEMA } from "./openapi-responses";
import { operation } from "./openapi-operation";
import { referenceNamedEnums } from "./openapi-enums";
import { WEB_SESSION_SECURITY_SCHEME, WEB_SESSION_TOKENS, webSessionPaths } from "./openapi-web-session";
import { SYSTEM_SCHEMAS, systemPaths } from "./openapi-system";

/**
 * OpenAPI 3.1 built from the route tables plus each action's fastest-validator
 * `params`, so the document is exactly what the gateway exposes; plus the web
 * session routes the gateway answers itself (openapi-web-session.ts) and its
 * system routes, health and this document (openapi-system.ts). Each route's
 * operation is built in openapi-operation.ts, its responses in
 * openapi-responses.ts.
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
