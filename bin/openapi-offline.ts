import { join } from "node:path";
import { Service, type ServiceSchema } from "moleculer";
import { buildOpenApi, type OpenApiDocument } from "../services/edge/api/openapi";
import { ROUTE_TABLES } from "../services/edge/api/route-tables";
import { findServiceFiles } from "./service-files";

/**
 * The OpenAPI document `GET /api/openapi.json` serves, built without starting
 * a broker: the route tables plus each action's `params`, read from the
 * service schemas with their mixins applied (what the registry would hold).
 * The web client's types are generated from it at build and typecheck time,
 * so a route change that breaks the client fails `npm run typecheck`. It
 * loads every service file, so it lives with the composition root (bin/).
 */
export function buildOpenApiOffline(info = { title: "Arena API", version: "1", serverUrl: "/" }): OpenApiDocument {
  const servicesDir = join(__dirname, "..", "services");
  const extension = __filename.endsWith(".js") ? ".js" : ".ts";
  const params = new Map<string, Record<string, unknown> | undefined>();
  const caches = new Map<string, unknown>();
  // applyMixins only merges plain objects; it needs no broker and runs no lifecycle hook.
  const mixer = Object.create(Service.prototype) as { applyMixins(schema: ServiceSchema): ServiceSchema };
  for (const file of findServiceFiles(servicesDir, extension).values()) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require(file.replace(/\.(ts|js)$/, "")) as { default?: ServiceSchema } & ServiceSchema;
    const schema = mixer.applyMixins(loaded.default ?? loaded);
    const prefix = schema.version !== undefined ? `v${String(schema.version)}.${schema.name}` : schema.name;
    for (const [name, action] of Object.entries(schema.actions ?? {})) {
      if (action === false || action === undefined) continue;
      const def = typeof action === "function" ? {} : (action as { params?: Record<string, unknown>; cache?: unknown });
      params.set(`${prefix}.${name}`, def.params);
      caches.set(`${prefix}.${name}`, def.cache);
    }
  }
  return buildOpenApi(
    ROUTE_TABLES,
    (action) => params.get(action),
    info,
    (action) => caches.get(action),
  );
}
