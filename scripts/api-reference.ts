/**
 * The endpoint reference in docs/api.md, generated from the route tables and
 * the OpenAPI document the gateway serves (bin/openapi-offline.ts: the same
 * params, the same documented statuses). `npm run docs:api` rewrites the part
 * between the markers; test/unit/scripts/api-reference.test.ts fails when the
 * committed file is stale.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildOpenApiOffline } from "../bin/openapi-offline";
import type { OpenApiDocument } from "../services/edge/api/openapi";
import { DEFAULT_BASE_PATH, type RouteTable } from "../services/edge/api/route-table";
import { ROUTE_TABLES } from "../services/edge/api/route-tables";

export const API_DOC = join(__dirname, "..", "docs", "api.md");
const START = "<!-- endpoints:start (npm run docs:api) -->";
const END = "<!-- endpoints:end -->";

interface Operation {
  summary?: string;
  security?: Array<Record<string, unknown>>;
  "x-served-by"?: string;
  responses?: Record<string, unknown>;
  parameters?: Array<{ name: string; in: string; required?: boolean }>;
  requestBody?: { content?: Record<string, { schema?: { properties?: object; required?: string[] } }> };
}

/** Section titles of the operations the gateway answers itself, by the `x-served-by` of their operations. */
const OWN_SECTIONS: Record<string, string> = {
  "gateway (services/edge/api/web-session.ts)":
    "web session (answered by the gateway; the refresh token is an HttpOnly cookie)",
  "gateway (services/edge/api/http-entry.ts)":
    "system (answered by the gateway before routing: health probes are never rate limited)",
};

const cell = (text: string) => text.replace(/\|/g, "\\|");

function paramsOf(op: Operation): string {
  const parts: string[] = [];
  const query = (op.parameters ?? []).filter((p) => p.in === "query");
  if (query.length) parts.push(`query: ${query.map((p) => `\`${p.name}\`${p.required ? "*" : ""}`).join(", ")}`);
  const headers = (op.parameters ?? []).filter((p) => p.in === "header");
  if (headers.length) parts.push(`header: ${headers.map((p) => `\`${p.name}\`${p.required ? "*" : ""}`).join(", ")}`);
  const content = op.requestBody?.content ?? {};
  const json = content["application/json"]?.schema;
  if (json) {
    const required = new Set(json.required ?? []);
    const fields = Object.keys(json.properties ?? {}).map((f) => `\`${f}\`${required.has(f) ? "*" : ""}`);
    parts.push(`body: ${fields.join(", ")}`);
  } else if (content["application/octet-stream"]) parts.push("body: raw bytes");
  return parts.join("; ");
}

/** The service a table belongs to: the prefix of its actions ("channels.get" → channels). */
function tableName(table: RouteTable): string {
  const counts = new Map<string, number>();
  for (const r of table.routes) {
    const service = r.action.split(".")[0] ?? r.action;
    counts.set(service, (counts.get(service) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "routes";
}

export function endpointReference(doc: OpenApiDocument = buildOpenApiOffline(), tables = ROUTE_TABLES): string {
  const out: string[] = [
    "Generated from the route tables and the OpenAPI document (`GET /api/openapi.json`, which also has every",
    "field's type and limits); do not edit by hand. `*` marks a required field. Auth: `none` (token ignored),",
    "`optional` (a valid token identifies the caller), `required` (401 without one); roles: any of them",
    "passes, `admin` always does. Success is the status a call answers when it works (304: a cached public",
    "read answers a matching `If-None-Match`, its 200 carries an `ETag`); failures use the error body above.",
  ];
  for (const table of tables) {
    const base = (table.basePath ?? DEFAULT_BASE_PATH).replace(/\/+$/, "");
    out.push(
      "",
      `### ${tableName(table)}`,
      "",
      "| method | path | auth | success | parameters | summary |",
      "|---|---|---|---|---|---|",
    );
    for (const route of table.routes) {
      const path = `${base}${route.path}`.replace(/:([A-Za-z0-9_]+)(\([^)]*\))?[?*+]?/g, "{$1}");
      const op = ((doc.paths[path] ?? {}) as Record<string, Operation>)[route.method.toLowerCase()] ?? {};
      const success =
        Object.keys(op.responses ?? {})
          .filter((s) => /^(2\d\d|304)$/.test(s))
          .join(", ") || "200";
      const auth = route.auth + (route.roles?.length ? ` (${route.roles.join(", ")})` : "");
      out.push(
        `| ${route.method} | \`${cell(path)}\` | ${auth} | ${success} | ${cell(paramsOf(op))} | ${cell(route.summary)} |`,
      );
    }
  }
  // Operations the gateway answers itself, outside the route tables: one section per file that answers them.
  const own = Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item as Record<string, Operation>)
      .filter(([, op]) => op["x-served-by"] !== undefined)
      .map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
  );
  for (const servedBy of new Set(own.map(({ op }) => op["x-served-by"] as string))) {
    out.push(
      "",
      `### ${OWN_SECTIONS[servedBy] ?? `answered by the ${servedBy}`}`,
      "",
      "| method | path | auth | success | parameters | summary |",
      "|---|---|---|---|---|---|",
    );
    for (const { path, method, op } of own.filter(({ op }) => op["x-served-by"] === servedBy)) {
      const auth = op.security?.some((s) => "webSession" in s) ? "session cookie" : "none";
      const success = Object.keys(op.responses ?? {})
        .filter((s) => /^2\d\d$/.test(s))
        .join(", ");
      out.push(
        `| ${method} | \`${cell(path)}\` | ${auth} | ${success} | ${cell(paramsOf(op))} | ${cell(op.summary ?? "")} |`,
      );
    }
  }
  return out.join("\n");
}

/** docs/api.md with its endpoint section regenerated (the rest is kept as written). */
export function renderApiDoc(current: string, reference = endpointReference()): string {
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  if (start < 0 || end < start) throw new Error(`docs/api.md lacks the markers ${START} … ${END}`);
  return `${current.slice(0, start + START.length)}\n${reference}\n${current.slice(end)}`;
}

if (require.main === module) {
  const current = readFileSync(API_DOC, "utf8");
  const next = renderApiDoc(current);
  if (next !== current) writeFileSync(API_DOC, next);
  console.log(next === current ? "docs/api.md is up to date" : "docs/api.md: endpoint reference rewritten");
}
