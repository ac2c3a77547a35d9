import { buildWebRoutes } from "../../../../services/edge/api/route-aliases";
import { ROUTE_TABLES } from "../../../../services/edge/api/route-tables";
import { ROLES } from "../../../../lib/auth/auth-user";

describe("ROUTE_TABLES (every service's registered routes)", () => {
  it("build into gateway routes without duplicates", () => {
    expect(() => buildWebRoutes(ROUTE_TABLES)).not.toThrow();
  });

  it("every route names a service action, a known auth mode and known roles", () => {
    for (const table of ROUTE_TABLES) {
      for (const r of table.routes) {
        expect(r.action).toMatch(/^[a-z][\w-]*(\.[\w-]+)+$/i);
        expect(["required", "optional", "none"]).toContain(r.auth);
        expect(r.path.startsWith("/")).toBe(true);
        for (const role of r.roles ?? []) expect(ROLES).toContain(role);
        expect(r.summary.length).toBeGreaterThan(0);
      }
    }
  });
});
