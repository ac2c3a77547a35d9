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
  for (const group of groups.values()) group.aliases = Object.fromEntries(bySpecificity(Object.entries(group.aliases)));
  return [...groups.values()];
}

/** 0 for a literal segment, 1 for a parameter, 2 for a wildcard: literals are tried first. */
function segmentKinds(path: string): number[] {
  return path
    .split("/")
    .filter(Boolean)
    .map((segment) => (!segment.startsWith(":") ? 0 : /[*+]$|\(\.\*\)/.test(segment) ? 2 : 1));
}

/**
 * moleculer-web answers with the first alias that matches, in insertion
 * order: `/users/by-username/:username` must be tried before
 * `/users/:userId/roles`, or the user named "roles" is unreachable. Literal
 * segments beat parameters at the first position where two paths differ
 * (the rule of most routers); otherwise the tables' order is kept. The
 * gateway turns off moleculer-web's own reordering (`optimizeOrder`), which
 * ranks by depth and parameter count and then alphabetically, and so tried
 * `/users/:userId/roles` first.
 */
function bySpecificity(entries: Array<[string, AliasDefinition]>): Array<[string, AliasDefinition]> {
  const kinds = new Map(entries.map(([key, alias]) => [key, segmentKinds(alias.spec.path)]));
  return [...entries].sort(([a], [b]) => {
    const ka = kinds.get(a) ?? [];
    const kb = kinds.get(b) ?? [];
    for (let i = 0; i < Math.min(ka.length, kb.length); i++) if (ka[i] !== kb[i]) return (ka[i] ?? 0) - (kb[i] ?? 0);
    // Lexicographic with length last: a total order, so the sort is stable and the tables' order breaks ties.
    return ka.length - kb.length;
  });
}
