/**
 * Leased rate-limit counters against the real Redis (6379): several gateway
 * "nodes" (each its own connection and lease table) hit one budget at once.
 * The shared limit is never exceeded, each node's early refusals are bounded
 * by the runs the others reserved, and the refused flood costs Redis nothing.
 */
import Redis from "ioredis";
import { LeasedRateLimitStore, RedisRateLimitStore, type WindowHit } from "../../../../lib/rate-limit";
import { uniqueId } from "../../../helpers/infra";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

describe("LeasedRateLimitStore on Redis (several nodes, one budget)", () => {
  const prefix = uniqueId("leased");
  const redis = new Redis(REDIS_URL);
  const nodes = [0, 1, 2].map(() => new LeasedRateLimitStore(new RedisRateLimitStore(REDIS_URL, prefix)));

  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.close()));
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it("allows at most the budget across nodes under concurrent load, and at least the budget minus the unused runs", async () => {
    const limit = 600; // runs of at most 30
    const counter = { key: "ip:203.0.113.5", limit, windowMs: 60_000 };
    const results = await Promise.all(
      Array.from({ length: 900 }, (_, i) => (nodes[i % 3] as LeasedRateLimitStore).hitUntilOver([counter])),
    );
    const counts = results.map((r) => (r[0] as WindowHit).count);
    const allowed = counts.filter((c) => c <= limit);
    expect(allowed.length).toBeLessThanOrEqual(limit);
    // Each other node may hold one and a half runs it never uses.
    expect(allowed.length).toBeGreaterThanOrEqual(limit - 2 * 45);
    // Every allowed hit is a distinct number the shared counter handed out.
    expect(new Set(allowed).size).toBe(allowed.length);
    const shared = Number(await redis.get(`${prefix}:${counter.key}`));
    // Far fewer round trips than hits: the counter only moved by the runs reserved before the window was spent.
    expect(shared).toBeGreaterThanOrEqual(limit);
    expect(shared).toBeLessThanOrEqual(limit + 3 * 2 * 30);
    expect(await redis.pttl(`${prefix}:${counter.key}`)).toBeGreaterThan(0);
  });

  it("a spent window is answered by each node without touching Redis", async () => {
    const counter = { key: "ip:203.0.113.6", limit: 20, windowMs: 60_000 };
    const node = nodes[0] as LeasedRateLimitStore;
    for (let i = 0; i < 21; i += 1) await node.hitUntilOver([counter]);
    const before = Number(await redis.get(`${prefix}:${counter.key}`));
    for (let i = 0; i < 100; i += 1)
      expect(((await node.hitUntilOver([counter]))[0] as WindowHit).count).toBeGreaterThan(20);
    expect(Number(await redis.get(`${prefix}:${counter.key}`))).toBe(before);
  });
});
