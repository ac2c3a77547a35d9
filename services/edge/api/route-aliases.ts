import { DEFAULT_BASE_PATH, type RouteSpec, type RouteTable } from "./route-table";

/**
 * Route tables → moleculer-web route definitions. Routes are grouped by base
 * path and by body handling (JSON-parsed vs raw stream); each group becomes
 * one moleculer-web route with explicit aliases only. The RouteSpec rides on
 * the alias object (`spec`) so the auth hooks see the per-route policy.
 */
export interface AliasDefinition {
  action: string;
  type?: "stream";
  spec: RouteSpec;
}

export interface WebRouteDefinition {
  name: string;
  path: string;
  stream: boolean;
  aliases: Record<string, AliasDefinition>;
}

export function buildWebRoutes(tables: RouteTable[]): WebRouteDefinition[] {
  const groups = new Map<string, WebRouteDefinition>();
  const seen = new Set<string>();
  for (const table of tables) {
    const base = (table.basePath ?? DEFAULT_BASE_PATH).replace(/\/+$/, "") || "/";
    for (const spec of table.routes) {
      const stream = spec.stream === true;
      const name = `${base}${stream ? "#stream" : "#json"}`;
      let group = groups.get(name);
      if (!group) {
        // Unique names: moleculer-web replaces the aliases of routes that share a name or path.
        group = { name, path: base, stream, aliases: {} };
        groups.set(name, group);
      }
      const key = `${spec.method} ${spec.path}`;
      const fullKey = `${spec.method} ${base}${spec.path}`;
      if (seen.has(fullKey)) throw new Error(`Duplicate route ${fullKey} (${spec.action})`);
      seen.add(fullKey);
      group.aliases[key] = { action: spec.action, spec, ...(stream ? { type: "stream" as const } : {}) };
    }
  }
  return [...groups.values()];
}
