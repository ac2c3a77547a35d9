import type { Role } from "../../../../lib/auth/auth-user";
import { RoleCache } from "../../../../lib/auth/role-cache";

describe("RoleCache", () => {
  it("fetches missing ids in one batch, serves hits until the TTL, and takes broadcast roles at once", async () => {
    const calls: string[][] = [];
    const known: Record<string, Role[]> = { a: ["viewer", "admin"], b: ["viewer"] };
    let now = 1000;
    const cache = new RoleCache(
      async (ids) => {
        calls.push(ids);
        return ids.filter((id) => known[id]).map((userId) => ({ userId, roles: known[userId]! }));
      },
      60_000,
      10,
      () => now,
    );
    const first = await cache.rolesOf(["a", "b", "ghost", "a"]);
    expect(calls).toEqual([["a", "b", "ghost"]]);
    expect(first.get("a")).toEqual(["viewer", "admin"]);
    expect(first.get("ghost")).toEqual([]);
    expect(await cache.roles("b")).toEqual(["viewer"]);
    expect(calls).toHaveLength(1);
    // user.roles.changed: replaced without a fetch.
    cache.set("b", ["viewer", "admin"]);
    expect(await cache.roles("b")).toEqual(["viewer", "admin"]);
    expect(calls).toHaveLength(1);
    // After the TTL, fetched again.
    now += 60_001;
    known.a = ["viewer"];
    expect(await cache.roles("a")).toEqual(["viewer"]);
    expect(calls).toEqual([["a", "b", "ghost"], ["a"]]);
  });

  it("stays bounded, forgetting the oldest entry first", async () => {
    let fetched: string[] = [];
    const probe = new RoleCache(async (ids) => ((fetched = ids), []), 60_000, 3);
    probe.set("a", []);
    probe.set("b", []);
    probe.set("c", []);
    probe.set("d", []);
    await probe.rolesOf(["a", "d"]);
    expect(fetched).toEqual(["a"]);
  });

  describe("a change that lands while a fetch is in flight", () => {
    /** A fetcher whose calls stay open until the test resolves them, with the roles it chooses. */
    function heldFetcher() {
      const calls: Array<{ ids: string[]; resolve: (roles: Role[]) => void }> = [];
      const fetch = (ids: string[]) =>
        new Promise<Array<{ userId: string; roles: Role[] }>>((resolve) =>
          calls.push({ ids, resolve: (roles) => resolve(ids.map((userId) => ({ userId, roles }))) }),
        );
      return { calls, fetch };
    }

    it("does not keep the roles the fetch read before an invalidation: the next read fetches again", async () => {
      const { calls, fetch } = heldFetcher();
      const cache = new RoleCache(fetch, 60_000, 10);
      const inFlight = cache.roles("a");
      expect(calls).toHaveLength(1);
      cache.forget("a");
      calls[0]!.resolve(["viewer", "admin"]);
      await inFlight;

      const next = cache.roles("a");
      expect(calls).toHaveLength(2);
      calls[1]!.resolve(["viewer"]);
      expect(await next).toEqual(["viewer"]);
    });

    it("keeps the broadcast's roles, not the fetch's older ones, and answers the fetch's caller with them", async () => {
      const { calls, fetch } = heldFetcher();
      const cache = new RoleCache(fetch, 60_000, 10);
      const inFlight = cache.rolesOf(["a", "b"]);
      // user.roles.changed: admin removed from a.
      cache.set("a", ["viewer"]);
      calls[0]!.resolve(["viewer", "admin"]);
      expect((await inFlight).get("a")).toEqual(["viewer"]);

      const a = cache.roles("a");
      expect(calls).toHaveLength(1); // a miss would have called the fetcher by now
      expect(await a).toEqual(["viewer"]);
      // b's fill was refused too (the generation is cache-wide): fetched again, not served stale.
      const b = cache.roles("b");
      expect(calls).toHaveLength(2);
      expect(calls[1]!.ids).toEqual(["b"]);
      calls[1]!.resolve(["viewer"]);
      expect(await b).toEqual(["viewer"]);
    });
  });
});
