/**
 * Every Redis client Arena opens is bounded (lib/redis): against a private
 * redis-server that is killed, frozen (SIGSTOP: connected but silent) and
 * restarted, calls fail within the command timeout, then at once while the
 * breaker is open, and work again soon after Redis is back. The Moleculer
 * cacher and the rate-limit store built on it fail open.
 */
import { ServiceBroker } from "moleculer";
import { BoundedRedisCacher } from "../../../../lib/broker/redis-cacher";
import { RedisRateLimitStore } from "../../../../lib/rate-limit";
import { BoundedRedis, isRedisDown } from "../../../../lib/redis/bounded-redis";
import { uniqueId, waitFor } from "../../../helpers/infra";
import { startPrivateRedis, type PrivateServer } from "../../../helpers/private-servers";

const TIMEOUT_MS = 150;

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const started = performance.now();
  try {
    const value = await fn();
    return { ms: performance.now() - started, value };
  } catch (error) {
    return { ms: performance.now() - started, error };
  }
}

describe("bounded Redis clients during a Redis outage", () => {
  let redis: PrivateServer;
  let bounded: BoundedRedis;

  beforeAll(async () => {
    redis = await startPrivateRedis();
    bounded = new BoundedRedis(redis.url, { name: "test", commandTimeoutMs: TIMEOUT_MS });
  });
  afterAll(async () => {
    bounded?.close();
    await redis?.dispose();
  });

  it("a stopped Redis fails calls at once, a restarted one is used again within the reconnect delay", async () => {
    expect(await bounded.run((r) => r.set("k", "1"))).toBe("OK");
    await redis.stop("SIGKILL");
    // No offline queue: nothing waits for a reconnect.
    for (let i = 0; i < 20; i++) {
      const call = await timed(() => bounded.run((r) => r.get("k")));
      expect(call.error).toBeDefined();
      expect(call.ms).toBeLessThan(TIMEOUT_MS);
    }
    expect(bounded.down).toBe(true);
    await redis.start();
    const back = Date.now();
    await waitFor(() => bounded.run((r) => r.ping()).then(() => true), { what: "Redis back", intervalMs: 20 });
    // Reconnect attempts are at most a second apart (retryStrategy), plus one breaker probe.
    expect(Date.now() - back).toBeLessThan(2500);
  });

  it("a frozen Redis costs each call at most the command timeout, then nothing once the breaker opens", async () => {
    await waitFor(() => !bounded.down, { what: "breaker closed" });
    await bounded.run((r) => r.set("k", "1"));
    redis.freeze();
    try {
      const first = await timed(() => bounded.run((r) => r.get("k")));
      expect(first.error).toBeDefined();
      expect(first.ms).toBeLessThan(TIMEOUT_MS * 3);
      await Promise.all([1, 2, 3].map(() => bounded.run((r) => r.get("k")).catch(() => undefined)));
      expect(bounded.down).toBe(true);
      const fast = await timed(() => bounded.run((r) => r.get("k")));
      expect(isRedisDown(fast.error)).toBe(true);
      expect(fast.ms).toBeLessThan(5);
    } finally {
      redis.thaw();
    }
    await waitFor(() => !bounded.down, { what: "breaker closed after thaw (background probe)" });
    expect(await bounded.run((r) => r.get("k"))).toBe("1");
  });

  it("the rate-limit store counts while Redis is up and rejects at once while it is down (the gateway fails open)", async () => {
    const store = new RedisRateLimitStore(redis.url, uniqueId("rl"), { commandTimeoutMs: TIMEOUT_MS });
    try {
      expect((await store.hit("ip:1", 60000)).count).toBe(1);
      expect((await store.hit("ip:1", 60000)).count).toBe(2);
      await redis.stop("SIGKILL");
      const calls = await Promise.all(Array.from({ length: 50 }, () => timed(() => store.hit("ip:1", 60000))));
      expect(calls.every((c) => c.error !== undefined)).toBe(true);
      expect(Math.max(...calls.map((c) => c.ms))).toBeLessThan(TIMEOUT_MS);
    } finally {
      await store.close();
      await redis.start();
    }
  });

  it("the broker's Redis cacher misses instead of failing the action, and drops entries it could not invalidate", async () => {
    const broker = new ServiceBroker({
      logger: false,
      cacher: new BoundedRedisCacher({ url: redis.url, prefix: uniqueId("c"), ttl: 30, commandTimeoutMs: TIMEOUT_MS }),
    });
    let computed = 0;
    broker.createService({
      name: "cached",
      actions: {
        value: { cache: { keys: ["n"] }, handler: (ctx) => `${(ctx.params as { n: number }).n}:${++computed}` },
      },
    });
    await broker.start();
    try {
      const cacher = broker.cacher as BoundedRedisCacher;
      await waitFor(() => cacher.connected, { what: "cacher connected" });
      expect(await broker.call("cached.value", { n: 1 })).toBe("1:1");
      const key = cacher.getCacheKey("cached.value", { n: 1 }, {}, ["n"]);
      await waitFor(async () => (await cacher.get(key)) !== null, { what: "entry stored" });
      expect(await broker.call("cached.value", { n: 1 })).toBe("1:1");

      // Frozen, so the entry outlives the outage (a restarted Redis without persistence would forget it anyway).
      redis.freeze();
      let thawed = false;
      try {
        const during = await timed(() => broker.call("cached.value", { n: 1 }));
        expect(during.value).toBe("1:2");
        expect(during.ms).toBeLessThan(TIMEOUT_MS * 3);
        // An invalidation that cannot reach Redis: from now on the cache is not read at all...
        await cacher.clean("cached.**");
        const next = await timed(() => broker.call("cached.value", { n: 1 }));
        expect(next.value).toBe("1:3");
        expect(next.ms).toBeLessThan(20);
        redis.thaw();
        thawed = true;
        // ...until Redis is back and the entries it may have missed are dropped.
        await waitFor(async () => cacher.connected && (await cacher.get(key)) === null, {
          what: "stale entry dropped after recovery",
        });
        expect(await broker.call("cached.value", { n: 1 })).toBe("1:4");
      } finally {
        if (!thawed) redis.thaw();
      }
    } finally {
      await broker.stop();
    }
  });
});
