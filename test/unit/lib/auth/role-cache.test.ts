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
        return ids.filter((id) => known[id]).map((userId) => ({ userId, roles: known[userId]!, version: 1 }));
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
    cache.set("b", ["viewer", "admin"], 2);
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
    probe.set("a", [], 1);
    probe.set("b", [], 1);
    probe.set("c", [], 1);
    probe.set("d", [], 1);
    await probe.rolesOf(["a", "d"]);
    expect(fetched).toEqual(["a"]);
  });

  describe("a change that lands while a fetch is in flight", () => {
    /** A fetcher whose calls stay open until the test resolves them, with the roles (and version) it chooses. */
    function heldFetcher() {
      const calls: Array<{ ids: string[]; resolve: (roles: Role[], version?: number) => void }> = [];
      const fetch = (ids: string[]) =>
        new Promise<Array<{ userId: string; roles: Role[]; version: number }>>((resolve) =>
          calls.push({
            ids,
            resolve: (roles, version = 1) => resolve(ids.map((userId) => ({ userId, roles, version }))),
          }),
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
      // user.roles.changed: admin removed from a (version 2); the fetch read version 1.
      cache.set("a", ["viewer"], 2);
      calls[0]!.resolve(["viewer", "admin"], 1);
      expect((await inFlight).get("a")).toEqual(["viewer"]);

      const a = cache.roles("a");
      expect(calls).toHaveLength(1); // a miss would have called the fetcher by now
      expect(await a).toEqual(["viewer"]);
      // b's answer is kept: versions order it against broadcasts, so a's change costs b no second fetch.
      expect(await cache.roles("b")).toEqual(["viewer", "admin"]);
      expect(calls).toHaveLength(1);
    });
  });

  describe("changes that arrive out of order (two senders over NATS)", () => {
    const noFetch = async (): Promise<never> => {
      throw new Error("no fetch expected: the entry is held");
    };
    const at = () => 1000;

    it("keeps the newer of two broadcasts when the older arrives last: a removed admin stays removed", async () => {
      const cache = new RoleCache(noFetch, 60_000, 10, at);
      cache.set("a", ["viewer"], 2); // admin removed
      cache.set("a", ["viewer", "admin"], 1); // the grant before it, late
      expect(await cache.roles("a")).toEqual(["viewer"]);
    });

    it("keeps a newer grant when the removal before it arrives last", async () => {
      const cache = new RoleCache(noFetch, 60_000, 10, at);
      cache.set("a", ["viewer", "admin"], 4);
      cache.set("a", ["viewer"], 3);
      expect(await cache.roles("a")).toEqual(["viewer", "admin"]);
      // The same change heard twice changes nothing either; a newer one replaces it.
      cache.set("a", ["viewer", "admin"], 4);
      cache.set("a", ["viewer", "editor"], 5);
      expect(await cache.roles("a")).toEqual(["viewer", "editor"]);
    });

    it("ignores a broadcast older than the roles a fetch answered", async () => {
      const fetched: string[][] = [];
      const cache = new RoleCache(
        async (ids) => (fetched.push(ids), ids.map((userId) => ({ userId, roles: ["viewer"] as Role[], version: 3 }))),
        60_000,
        10,
        at,
      );
      expect(await cache.roles("a")).toEqual(["viewer"]);
      // The broadcast of version 2 (admin granted, since removed by version 3) arrives after the fetch read 3.
      cache.set("a", ["viewer", "admin"], 2);
      expect(await cache.roles("a")).toEqual(["viewer"]);
      expect(fetched).toEqual([["a"]]);
    });

    it("takes a broadcast newer than the fetched roles, and counts an unknown user as version 0", async () => {
      const cache = new RoleCache(async () => [], 60_000, 10, at);
      expect(await cache.roles("new")).toEqual([]);
      cache.set("new", ["viewer", "admin"], 1);
      expect(await cache.roles("new")).toEqual(["viewer", "admin"]);
    });
  });
});
