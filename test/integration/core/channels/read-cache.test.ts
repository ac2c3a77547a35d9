/**
 * Cached public reads (mixins/read-cache) on the channels and users
 * services: a change made through the service is served at once, a change
 * the service never saw (a row edited behind its back) is stale for at most
 * READ_CACHE_TTL_S (plus API_RESPONSE_CACHE_TTL_MS for the gateway's copy of an anonymous read), and
 * /me is cached per user, never across users.
 */
import { Client } from "pg";
import { ok } from "../../../helpers/api-client";
import { newUser, startCore, type CoreHarness, type TestUser } from "../core-harness";

jest.setTimeout(60000);

const TTL_S = 2;

describe("read cache: channels and /me (real Postgres, real gateway)", () => {
  let h: CoreHarness;
  let owner: TestUser;
  let other: TestUser;
  let channelId: string;
  let sql: Client;

  beforeAll(async () => {
    h = await startCore({ READ_CACHE_TTL_S: String(TTL_S) });
    [owner, other] = await Promise.all([newUser(h, "rcown"), newUser(h, "rcoth")]);
    const created = ok(
      await owner.api.channels.create({ slug: `rc-${Date.now().toString(36)}`, title: "Before", category: "games" }),
      201,
    );
    channelId = created.channel.id;
    sql = new Client({ connectionString: h.db?.url });
    await sql.connect();
  });

  afterAll(async () => {
    await sql?.end();
    await h?.stop();
  });

  /** Changes the row behind the service's back: no invalidation, only the TTL ends the cached copy. */
  const editBehindItsBack = (title: string) =>
    sql.query("UPDATE channels.channels SET title = $1 WHERE id = $2", [title, channelId]);

  it("serves a change made through the service at once, cached copies included", async () => {
    expect(ok(await h.api.channels.get(channelId)).title).toBe("Before");
    expect(ok(await h.api.channels.list({ category: "games" })).items.map((c) => c.title)).toContain("Before");
    await editBehindItsBack("Hidden");
    // Cached: the edit behind its back is not seen yet (the proof that the next step really invalidates).
    expect(ok(await h.api.channels.get(channelId)).title).toBe("Before");

    ok(await owner.api.channels.update(channelId, { title: "After" }));
    expect(ok(await h.api.channels.get(channelId)).title).toBe("After");
    expect(ok(await h.api.channels.list({ category: "games" })).items.map((c) => c.title)).toContain("After");
  });

  it("never serves a change it did not see for longer than READ_CACHE_TTL_S", async () => {
    expect(ok(await h.api.channels.get(channelId)).title).toBe("After");
    await editBehindItsBack("Behind");
    const changedAt = Date.now();
    let fresh = false;
    while (!fresh) {
      const startedAt = Date.now();
      const title = ok(await h.api.channels.get(channelId)).title;
      fresh = title === "Behind";
      // A read that started after the bound must be fresh (the cached copy was stored before the edit). The
      // gateway's copy of an anonymous read (fast-path.ts) may have been filled from the cacher's just before
      // that expired: it adds at most API_RESPONSE_CACHE_TTL_MS.
      if (!fresh) expect(startedAt - changedAt).toBeLessThanOrEqual(TTL_S * 1000 + h.config.api.responseCacheTtlMs);
      if (!fresh) await new Promise((r) => setTimeout(r, 100));
    }
  });

  it("answers 400 to invalid params on a cached route even when the cache is warm", async () => {
    const get = (query: string) => fetch(`${h.base}/api/v1/channels?${query}`);
    expect((await get("category=games&limit=5")).status).toBe(200);
    expect((await get("category=games&limit=5")).status).toBe(200);
    // The key of this request (category, live, ownerId, limit, offset, cursor) reads `live` as "undefined", the
    // warm entry's key: the params must be checked before the lookup, not after it.
    const bad = await get("category=games&live=undefined&limit=5");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error?: { code?: string } }).error?.code).toBe("VALIDATION_ERROR");
  });

  it("caches /me per user: each caller gets their own profile, and their own change at once", async () => {
    for (let i = 0; i < 2; i += 1) {
      expect(ok(await owner.api.me.get()).id).toBe(owner.id);
      expect(ok(await other.api.me.get()).id).toBe(other.id);
    }
    ok(await owner.api.me.update({ displayName: "Owner Renamed" }));
    expect(ok(await owner.api.me.get()).displayName).toBe("Owner Renamed");
    expect(ok(await other.api.me.get()).displayName).not.toBe("Owner Renamed");
  });
});
