/**
 * The enumeration half of the authorization guard (no broker: it runs in
 * milliseconds). Every non-GET route of every table the gateway serves,
 * today's and any added later, must have at least one row; every row must
 * name a route that exists and say what each actor gets.
 */
import { ROUTE_TABLES } from "../../../services/edge/api/route-tables";
import { ACTORS, EXTRA_ACTORS, allRoutes, routeKey } from "./route-guard";
import { PENDING_SERVICES, ROWS } from "./rows";

describe("authorization guard: every mutating route has rows", () => {
  const rows = Object.values(ROWS).flat();
  const covered = new Set(rows.map((r) => r.route));

  it("covers every non-GET route of every route table (a new route fails here until it has rows)", () => {
    const mutating = ROUTE_TABLES.flatMap((t) =>
      t.routes.filter((r) => r.method !== "GET").map((r) => ({ key: routeKey(t, r), service: r.action.split(".")[0] })),
    );
    expect(mutating.length).toBeGreaterThan(100);
    const uncovered = mutating.filter((r) => !covered.has(r.key));
    expect(uncovered.filter((r) => !PENDING_SERVICES.includes(r.service ?? "")).map((r) => r.key)).toEqual([]);
    // A pending service with rows already is no longer pending.
    expect(PENDING_SERVICES.filter((s) => ROWS[s])).toEqual([]);
  });

  it("every row names a route the gateway serves, with a status for every actor", () => {
    const routes = allRoutes();
    expect(rows.filter((r) => !routes.has(r.route)).map((r) => r.route)).toEqual([]);
    // The six always; an extra actor (site or channel editor) only where a row names it.
    for (const row of rows) {
      const named = Object.keys(row.expect);
      expect({ route: row.route, actors: named.filter((a) => !EXTRA_ACTORS.includes(a as never)).sort() }).toEqual({
        route: row.route,
        actors: [...ACTORS].sort(),
      });
    }
  });

  it("every row is in the file of the service that owns its route", () => {
    const routes = allRoutes();
    const misplaced = Object.entries(ROWS).flatMap(([service, serviceRows]) =>
      serviceRows
        .filter((r) => routes.get(r.route)?.spec.action.split(".")[0] !== service)
        .map((r) => `${service}: ${r.route}`),
    );
    expect(misplaced).toEqual([]);
  });
});
