import { DEFAULT_BASE_PATH, type RouteSpec, type RouteTable } from "./route-table";
import { paramsToObjectSchema, ruleToSchema, type JsonSchema } from "./fv-json-schema";

/**
 * OpenAPI 3.1 built from the route tables plus each action's fastest-validator
 * `params`, so the document is exactly what the gateway exposes.
 */
export type ParamsLookup = (action: string) => Record<string, unknown> | undefined;

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
      required: ["code", "message", "requestId"],
      properties: { code: { type: "string" }, message: { type: "string" }, details: {}, requestId: { type: "string" } },
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

function operation(
  route: RouteSpec,
  names: string[],
  params: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const op: Record<string, unknown> = {
    summary: route.summary,
    operationId: `${route.method.toLowerCase()}_${route.action.replace(/\./g, "_")}`,
    "x-action": route.action,
    responses: {
      "200": route.responseTypes?.length
        ? {
            description: "Success",
            content: Object.fromEntries(route.responseTypes.map((type) => [type, { schema: { type: "string" } }])),
          }
        : { description: "Success" },
      default: {
        description: "Error",
        content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
      },
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
  if (route.stream) {
    op.requestBody = {
      required: true,
      content: {
        "application/octet-stream": { schema: { type: "string", contentMediaType: "application/octet-stream" } },
      },
    };
  } else if (route.method === "GET" || route.method === "DELETE") {
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
      );
    }
  }
  return {
    openapi: "3.1.0",
    info: { title: info.title, version: info.version },
    servers: [{ url: info.serverUrl }],
    paths,
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      schemas: { Error: ERROR_SCHEMA },
    },
  };
}
