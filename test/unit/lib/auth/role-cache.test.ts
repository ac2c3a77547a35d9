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
});
