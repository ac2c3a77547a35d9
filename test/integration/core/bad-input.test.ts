import type { RouteSpec } from "../../../services/edge/api/route-table";
import { ok } from "../../helpers/api-client";
import { CORE_ROUTES, newUser, PASSWORD, startCore, type CoreHarness, type TestUser } from "./core-harness";

jest.setTimeout(120000);

const ALL: RouteSpec[] = CORE_ROUTES.flatMap((t) => t.routes);

/** Path values a client may send: over-long, odd characters, encoded NUL, traversal. */
const PATH_VALUES = ["x".repeat(300), "%00", "..%2F..%2Fetc", "%F0%9F%8E%AE", "a%20b", "-1", "null"];
/** Bodies of the wrong shape for every field. */
const BODIES: unknown[] = [
  [],
  { limit: -1, offset: "abc" },
  {
    title: { $gt: "" },
    slug: ["a"],
    tags: "x",
    mature: "yes",
    language: 7,
    displayName: null,
    bio: {},
    links: "http://x",
  },
  {
    notifications: [1, 2],
    language: { en: true },
    code: 123456,
    password: ["p"],
    currentPassword: 1,
    newPassword: {},
    login: {},
    email: ["a@b.c"],
    username: 5,
    refreshToken: { a: 1 },
  },
  { links: [{ label: "x".repeat(10000), url: "javascript:alert(1)" }], tags: Array(1000).fill("t") },
];
const QUERIES = [
  "?limit=abc&offset=-5",
  "?limit=1e9",
  "?limit=0",
  "?offset=99999999999",
  "?live=maybe&ownerId[]=a",
  "?limit=1.5",
];

/**
 * Malformed input gets a 4xx with the error body, never a 5xx: every core
 * route, as a signed-in user, with wrong types, odd path values and bad paging.
 */
describe("core routes: bad input is a 4xx, never a 5xx", () => {
  let h: CoreHarness;

  beforeAll(async () => {
    h = await startCore();
  });
  afterAll(() => h?.stop());

  /** A fresh user with a channel per route (logout and password routes end sessions); an admin for admin routes. */
  async function callerFor(route: RouteSpec): Promise<TestUser> {
    const user = await newUser(h, "fuzz");
    ok(await user.api.channels.create({ slug: `fz-${user.id.slice(0, 8)}`, title: "Fuzz" }), 201);
    if (!route.roles?.includes("admin")) return user;
    await h.broker.call("identity.grantRole", { userId: user.id, role: "admin" });
    const token = ok(await h.api.auth.login({ login: user.email, password: PASSWORD })).accessToken;
    return { ...user, token, api: h.api.as(token) };
  }

  it.each(ALL.map((r) => [`${r.method} ${r.path}`, r] as const))("%s", async (_name, route) => {
    const user = await callerFor(route);
    const failures: string[] = [];
    const statuses = new Set<number>();
    const check = async (path: string, body?: unknown) => {
      const res = await user.api.request(route.method, path, route.method === "GET" ? undefined : body);
      statuses.add(res.status);
      if (res.status >= 500)
        failures.push(
          `${route.method} ${path} ${JSON.stringify(body)?.slice(0, 80)} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`,
        );
    };
    const hasParams = /:[A-Za-z]+/.test(route.path);
    for (const value of hasParams ? PATH_VALUES : [""]) {
      const path = route.path.replace(/:([A-Za-z]+)/g, value);
      for (const body of route.method === "GET" ? [undefined] : BODIES) await check(path, body);
      for (const q of QUERIES) await check(`${path}${q}`, route.method === "GET" ? undefined : {});
    }
    expect(failures).toEqual([]);
    // The caller stayed signed in (except where the route ends sessions), so every call reached the action.
    if (!/logout/.test(route.path)) expect(statuses.has(401) && route.auth !== "none" ? [...statuses] : []).toEqual([]);
  });
});
