/** Cluster viewer counts on the real Redis, with a private key namespace per run. */
import Redis from "ioredis";
import { RedisViewerCounts } from "../../../../services/edge/realtime/viewer-counts-redis";
import { REDIS_URL, uniqueId, waitFor } from "../../../helpers/infra";

describe("RedisViewerCounts", () => {
  const namespace = uniqueId("vc");
  const stores: RedisViewerCounts[] = [];
  const node = (nodeId: string, aliveTtlMs = 1000) => {
    const s = new RedisViewerCounts({ url: REDIS_URL, namespace, nodeId, aliveTtlMs });
    stores.push(s);
    return s;
  };

  afterAll(async () => {
    await Promise.allSettled(stores.map((s) => s.stop()));
    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${namespace}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it("sums live nodes, elects one leader per room, and forgets a node that stops reporting", async () => {
    const a = node("node-a");
    const b = node("node-b");
    await a.sync(new Map([["room", 3]]));
    await b.sync(
      new Map([
        ["room", 4],
        ["other", 1],
      ]),
    );
    const fromA = await a.sync(new Map([["room", 3]]));
    const fromB = await b.sync(
      new Map([
        ["room", 4],
        ["other", 1],
      ]),
    );
    expect(fromA.get("room")).toEqual({ viewerCount: 7, leader: true });
    expect(fromB.get("room")).toEqual({ viewerCount: 7, leader: false });
    expect(fromB.get("other")).toEqual({ viewerCount: 1, leader: true });
    // b dies without cleaning up: its liveness key expires and a stops counting it.
    const total = await waitFor(
      async () => {
        const t = (await a.sync(new Map([["room", 3]]))).get("room");
        return t && t.viewerCount === 3 ? t : undefined;
      },
      { timeoutMs: 5000, intervalMs: 200, what: "dead node to leave the count" },
    );
    expect(total.leader).toBe(true);
  });

  it("removes a node's contribution when its room empties or it stops gracefully", async () => {
    const c = node("node-c", 5000);
    const d = node("node-d", 5000);
    await c.sync(new Map([["r2", 2]]));
    expect((await d.sync(new Map([["r2", 5]]))).get("r2")?.viewerCount).toBe(7);
    await c.sync(new Map([["r2", 0]]));
    expect((await d.sync(new Map([["r2", 5]]))).get("r2")?.viewerCount).toBe(5);
    await c.sync(new Map([["r2", 1]]));
    await c.stop();
    expect((await d.sync(new Map([["r2", 5]]))).get("r2")?.viewerCount).toBe(5);
  });

  it("does not keep a crashed node's counts when it comes back under the same node id", async () => {
    const before = node("node-e", 500);
    const other = node("node-f", 500);
    await before.sync(new Map([["r3", 5]]));
    expect((await other.sync(new Map([["r3", 1]]))).get("r3")?.viewerCount).toBe(6);
    // node-e crashes (stops ticking, no cleanup) and restarts at once with the same id and no viewers in r3.
    const after = node("node-e", 500);
    await waitFor(
      async () => {
        await after.sync(new Map([["elsewhere", 1]]));
        return (await other.sync(new Map([["r3", 1]]))).get("r3")?.viewerCount === 1;
      },
      { timeoutMs: 5000, intervalMs: 100, what: "the previous life's viewers to leave the count" },
    );
  });
});
