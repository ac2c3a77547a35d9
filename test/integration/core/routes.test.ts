import { toOpenApiPath } from "../../../services/edge/api/openapi";
import type { RouteSpec } from "../../../services/edge/api/route-table";
import { CORE_ROUTES, startCore, type CoreHarness } from "./core-harness";

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

  it("internal actions are not reachable over HTTP", async () => {
    for (const path of [
      "/identity/revokedSessions",
      "/users/provisionExternal",
      "/channels/verifyStreamKey",
      "/identity.grantRole",
    ]) {
      expect((await h.api.request("POST", path, {})).status).toBe(404);
    }
  });
});
