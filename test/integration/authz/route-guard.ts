/**
 * The authorization guard: rows say, per mutating route, which status each
 * actor gets and how to read back the state the route guards. The runner
 * builds every request from the route definition itself (the gateway's
 * ROUTE_TABLES: method, base path, path with its params filled in), so a row
 * cannot name one route and call another.
 */
import { ROUTE_TABLES } from "../../../services/edge/api/route-tables";
import { DEFAULT_BASE_PATH, type HttpMethod, type RouteSpec } from "../../../services/edge/api/route-table";
import type { ApiClient, ApiResponse } from "../../helpers/api-client";
import type { GuardHarness } from "./guard-harness";

export type ActorName = "anonymous" | "otherUser" | "moderatorOfOtherChannel" | "moderator" | "owner" | "admin";

/** Refused callers first, so the owner's and the admin's calls come last (they may change or delete the target). */
export const ACTORS: readonly ActorName[] = [
  "anonymous",
  "otherUser",
  "moderatorOfOtherChannel",
  "moderator",
  "owner",
  "admin",
];

/**
 * Actors some rows add to the six (a row lists them in `expect` when its
 * route tells them apart): a site editor (the `editor` role, which writes the
 * site blog only) and a channel editor (named by the owner on the owner's
 * channel blog). The harness makes them the first time a row asks.
 */
export type ExtraActor = "siteEditor" | "channelEditor";
export const EXTRA_ACTORS: readonly ExtraActor[] = ["siteEditor", "channelEditor"];
export type AnyActor = ActorName | ExtraActor;

/** A small number per actor (unique titles, slugs): the six first, then the extras. */
export function actorIndex(actor: AnyActor): number {
  return [...ACTORS, ...EXTRA_ACTORS].indexOf(actor);
}

/** "METHOD /path" exactly as in the route table (a non-default base path is prefixed). */
export type RouteKey = `${HttpMethod} /${string}`;

export function routeKey(table: { basePath?: string }, route: RouteSpec): RouteKey {
  const base = table.basePath && table.basePath !== DEFAULT_BASE_PATH ? table.basePath : "";
  return `${route.method} ${base}${route.path}` as RouteKey;
}

/** Every route of every table the gateway serves, by key. */
export function allRoutes(): Map<RouteKey, { spec: RouteSpec; basePath: string }> {
  const routes = new Map<RouteKey, { spec: RouteSpec; basePath: string }>();
  for (const table of ROUTE_TABLES) {
    for (const spec of table.routes)
      routes.set(routeKey(table, spec), { spec, basePath: table.basePath ?? DEFAULT_BASE_PATH });
  }
  return routes;
}

/** One call of a route: its path params, body, and how to read back what it guards. */
export interface Attempt {
  params?: Record<string, string>;
  query?: Record<string, string>;
  /** JSON body; `bodyFor` when each actor needs its own (unique slugs); `raw` for streamed (upload) routes. */
  body?: unknown;
  bodyFor?(actor: AnyActor): unknown;
  raw?: { contentType: string; data: Buffer };
  /**
   * The token a call is made with, when not the actor's own: routes that end
   * the caller's sessions or check the caller's password act on the caller
   * alone, so fresh stand-ins call them and the shared actors survive.
   */
  token?(actor: AnyActor): Promise<string | undefined>;
  /** Reads the guarded state back through the API, as someone allowed to read it. */
  state(): Promise<unknown>;
}

export interface GuardRow {
  route: RouteKey;
  /** What the row checks, when a route has several rows. */
  note?: string;
  /** Status each actor gets (the six always; an extra actor when the route tells it apart). */
  expect: Record<ActorName, number> & Partial<Record<ExtraActor, number>>;
  /**
   * Actors whose call may change the guarded state (default: the actors
   * expected to succeed). Each of them gets a fresh attempt (a destructive
   * call needs its own target) and their 2xx call must visibly change it,
   * which proves the state read can see the route's effect.
   */
  changes?: AnyActor[];
  /** The allowed call succeeds without a visible change to this state (say why). */
  invisible?: string;
  /** Builds one attempt; may create a fresh target. */
  attempt(h: GuardHarness, actor: AnyActor): Promise<Attempt>;
}

const is2xx = (status: number) => status >= 200 && status < 300;

/** Anonymous 401, everyone else `refused` (403), except the listed actors. */
export function only(allowed: Partial<Record<ActorName, number>>, refused = 403): Record<ActorName, number> {
  return {
    anonymous: 401,
    otherUser: refused,
    moderatorOfOtherChannel: refused,
    moderator: refused,
    owner: refused,
    admin: refused,
    ...allowed,
  };
}

/** Every actor gets the same status (anonymous routes, or calls refused for everyone). */
export function everyone(status: number): Record<ActorName, number> {
  return Object.fromEntries(ACTORS.map((a) => [a, status])) as Record<ActorName, number>;
}

/** Any signed-in user gets `status` (calls on one's own data); anonymous 401. */
export function anyUser(status: number): Record<ActorName, number> {
  return { ...everyone(status), anonymous: 401 };
}

/** Memoizes a fixture per harness (rows are static; fixtures live with one broker). */
export function perHarness<T>(make: (h: GuardHarness) => Promise<T>): (h: GuardHarness) => Promise<T> {
  const cache = new WeakMap<GuardHarness, Promise<T>>();
  return (h) => {
    let value = cache.get(h);
    if (!value) {
      value = make(h);
      cache.set(h, value);
    }
    return value;
  };
}

/** Fills `:name` params from the attempt; a missing or unused param is a broken row. */
export function buildUrl(basePath: string, path: string, attempt: Attempt): string {
  const params = { ...attempt.params };
  const filled = path.replace(/:(\w+)/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`row for ${path} gives no value for :${name}`);
    delete params[name];
    return encodeURIComponent(value);
  });
  const unused = Object.keys(params);
  if (unused.length > 0) throw new Error(`row for ${path} gives params the path does not have: ${unused.join(", ")}`);
  const query = attempt.query ? `?${new URLSearchParams(attempt.query).toString()}` : "";
  return `${basePath}${filled}${query}`;
}

export async function send(
  h: GuardHarness,
  row: GuardRow,
  actor: AnyActor,
  attempt: Attempt,
): Promise<ApiResponse<unknown>> {
  const route = allRoutes().get(row.route);
  if (!route) throw new Error(`no route ${row.route} in ROUTE_TABLES`);
  const url = `${h.base}${buildUrl(route.basePath, route.spec.path, attempt)}`;
  const headers: Record<string, string> = { accept: "application/json" };
  const token = attempt.token ? await attempt.token(actor) : (await h.actorClient(actor)).token;
  if (token) headers.authorization = `Bearer ${token}`;
  let body: string | Buffer | undefined;
  if (attempt.raw) {
    headers["content-type"] = attempt.raw.contentType;
    body = attempt.raw.data;
  } else {
    const json = attempt.bodyFor ? attempt.bodyFor(actor) : attempt.body;
    // A GET carries no body (fetch refuses one); a DELETE only when the row gives one.
    if (json !== undefined || (route.spec.method !== "DELETE" && route.spec.method !== "GET")) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(json ?? {});
    }
  }
  const res = await fetch(url, { method: route.spec.method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    // Non-JSON bodies stay text, so a failure shows what came back.
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

function expectStatus(actor: AnyActor, res: ApiResponse<unknown>, expected: number): void {
  if (res.status !== expected) {
    throw new Error(`${actor}: expected HTTP ${expected}, got ${res.status}: ${JSON.stringify(res.body)}`);
  }
}

/**
 * Runs one row: every actor not allowed to change the state calls the route
 * on one shared target and must get its status with the state unchanged;
 * then each allowed actor calls it on a fresh target and must get its status
 * (and, on success, a visible change).
 */
/** The row's actors: the six, then the extras it names (refused callers first, as in ACTORS). */
export function rowActors(row: GuardRow): AnyActor[] {
  const extras = EXTRA_ACTORS.filter((a) => row.expect[a] !== undefined);
  return [...ACTORS.slice(0, 4), ...extras, ...ACTORS.slice(4)];
}

export async function runRow(h: GuardHarness, row: GuardRow): Promise<void> {
  const actors = rowActors(row);
  const status = (a: AnyActor) => row.expect[a] as number;
  const changers = row.changes ?? actors.filter((a) => is2xx(status(a)));
  const watched = actors.filter((a) => !changers.includes(a));
  if (watched.length > 0) {
    const attempt = await row.attempt(h, watched[0] as AnyActor);
    for (const actor of watched) {
      const before = await attempt.state();
      expectStatus(actor, await send(h, row, actor, attempt), status(actor));
      expect({ actor, state: await attempt.state() }).toEqual({ actor, state: before });
    }
  }
  for (const actor of changers) {
    const attempt = await row.attempt(h, actor);
    const before = await attempt.state();
    const res = await send(h, row, actor, attempt);
    expectStatus(actor, res, status(actor));
    if (is2xx(res.status) && !row.invisible) {
      expect({ actor, state: await attempt.state() }).not.toEqual({ actor, state: before });
    }
  }
}

/**
 * GET through the API as `api`'s user. A 404 or 401 (gone, or the reader's
 * session ended) is state too, kept as its status alone; any other failure
 * throws, so a broken read can never make two states look equal.
 */
export async function read(api: ApiClient, path: string): Promise<{ status: number; body?: unknown }> {
  const res = await api.request("GET", path);
  if (res.status === 200) return { status: 200, body: res.body };
  if (res.status === 404 || res.status === 401) return { status: res.status };
  throw new Error(`state read GET ${path}: HTTP ${res.status} ${JSON.stringify(res.body)}`);
}

/** A describe block per rows file; one `it` per row. */
export function describeRows(name: string, rows: GuardRow[], harness: () => GuardHarness): void {
  describe(name, () => {
    it.each(rows.map((r) => [`${r.route}${r.note ? ` (${r.note})` : ""}`, r] as const))("%s", (_n, row) =>
      runRow(harness(), row),
    );
  });
}
