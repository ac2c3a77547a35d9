import { toOpenApiPath } from "../../../services/edge/api/openapi";
import type { RouteSpec } from "../../../services/edge/api/route-table";
import { CORE_ROUTES, newUser, PASSWORD, startCore, type CoreHarness } from "./core-harness";

jest.setTimeout(60000);

const ALL: RouteSpec[] = CORE_ROUTES.flatMap((t) => t.routes);
const fill = (path: string) => path.replace(/:([A-Za-z]+)/g, "00000000-0000-4000-8000-000000000000");

/** Every core route table entry is wired to a real, published action and guarded as declared. */
describe("core route tables", () => {
  let h: CoreHarness;
  beforeAll(async () => {
    h = await startCore();
  });
  afterAll(() => h?.stop());

  it.each(ALL.map((r) => [`${r.method} ${r.path}`, r] as const))("%s → a published action", (_name, route) => {
    // The action list as the registry publishes it (what the gateway can reach).
    const listed = h.broker.registry.getActionList({ onlyAvailable: true, withEndpoints: false }) as Array<{
      name: string;
      action?: { visibility?: string; params?: unknown };
    }>;
    const action = listed.find((a) => a.name === route.action)?.action;
    expect(action).toBeDefined();
    expect(action?.visibility ?? "published").toBe("published");
    expect(action?.params).toBeDefined();
  });

  it.each(ALL.filter((r) => r.auth === "required").map((r) => [`${r.method} ${r.path}`, r] as const))(
    "%s refuses anonymous callers with 401",
    async (_name, route) => {
      const res = await h.api.request(route.method, fill(route.path), route.method === "GET" ? undefined : {});
      expect(res.status).toBe(401);
    },
  );

  it("the OpenAPI document lists every core route", async () => {
    const res = await fetch(`${h.base}/api/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, Record<string, unknown>> };
    for (const route of ALL) {
      const path = `/api/v1${toOpenApiPath(route.path).path}`;
      expect({ route: `${route.method} ${path}`, present: !!doc.paths[path]?.[route.method.toLowerCase()] }).toEqual({
        route: `${route.method} ${path}`,
        present: true,
      });
    }
  });

  it("a representative call per core table answers the status the OpenAPI document declares", async () => {
    const doc = (await (await fetch(`${h.base}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, unknown> }>>;
    };
    const documented = (method: string, path: string) =>
      Object.keys(doc.paths[`/api/v1${path}`]?.[method]?.responses ?? {});
    const calls: Array<{ method: string; path: string; status: number }> = [];
    const record = async <T>(method: string, path: string, call: Promise<{ status: number; body: T }>) => {
      const res = await call;
      calls.push({ method, path, status: res.status });
      return res.body;
    };
    const username = `doc_${Date.now().toString(36)}`;
    const email = `${username}@example.test`;
    await record("post", "/auth/register", h.api.auth.register({ email, username, password: PASSWORD }));
    const login = await record("post", "/auth/login", h.api.auth.login({ login: email, password: PASSWORD }));
    const me = h.api.as((login as { accessToken: string }).accessToken);
    const created = await record(
      "post",
      "/channels",
      me.channels.create({ slug: `doc-${username.slice(4)}`, title: "Doc" }),
    );
    const channelId = (created as { channel: { id: string } }).channel.id;
    await record("get", "/channels/{id}", me.channels.get(channelId));
    await record("get", "/users/by-username/{username}", h.api.users.byUsername(username));
    await record("get", "/me", me.me.get());
    const fan = await newUser(h, "docfan");
    await record("put", "/channels/{channelId}/follow", fan.api.request("PUT", `/channels/${channelId}/follow`));
    // Failures: each is one of the statuses the operation declares.
    await record("get", "/users/by-username/{username}", h.api.users.byUsername("nobody_at_all"));
    await record("get", "/me", h.api.me.get());
    await record("post", "/channels", me.channels.create({ slug: "x" } as never));
    for (const call of calls) {
      const statuses = documented(call.method, call.path);
      expect({ ...call, documented: statuses.includes(String(call.status)) }).toEqual({ ...call, documented: true });
      // Exactly one success status is declared, and a success is that one.
      const success = statuses.filter((s) => s.startsWith("2"));
      expect(success).toHaveLength(1);
      if (call.status < 300) expect(String(call.status)).toBe(success[0]);
    }
    expect(calls.filter((c) => c.status === 201).map((c) => c.path)).toEqual(["/auth/register", "/channels"]);
  });

  it("internal actions are not reachable over HTTP", async () => {
    for (const path of [
      "/identity/revokedSessions",
      "/users/provisionExternal",
      "/channels/verifyStreamKey",
      "/identity.grantRole",
    ]) {
      // 405 where the path matches a public GET route (`/users/:id`): still no POST reaches an action.
      const res = await h.api.request("POST", path, {});
      expect([404, 405]).toContain(res.status);
      expect(res.headers.get("allow") ?? "").not.toMatch(/POST/);
    }
  });
});
