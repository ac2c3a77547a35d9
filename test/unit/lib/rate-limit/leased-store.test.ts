import {
  LeasedRateLimitStore,
  MemoryRateLimitStore,
  type CounterHit,
  type WindowHit,
} from "../../../../lib/rate-limit";

/** The shared store of several "nodes": a memory store counting its reservations. */
function sharedStore(clock: { now: number }) {
  const store = new MemoryRateLimitStore(() => clock.now);
  const reservations: number[] = [];
  let failing = false;
  const source = Object.assign(store, {
    reservations,
    fail(on: boolean) {
      failing = on;
    },
  });
  const reserve = store.reserve.bind(store);
  source.reserve = async (key: string, count: number, windowMs: number): Promise<WindowHit> => {
    if (failing) throw new Error("store down");
    reservations.push(count);
    return reserve(key, count, windowMs);
  };
  return source;
}

const counter = (limit: number, key = "ip:1"): CounterHit => ({ key, limit, windowMs: 60_000 });

async function hits(store: LeasedRateLimitStore, c: CounterHit, n: number): Promise<number[]> {
  const counts: number[] = [];
  for (let i = 0; i < n; i += 1) counts.push(((await store.hitUntilOver([c]))[0] as WindowHit).count);
  return counts;
}

describe("LeasedRateLimitStore (runs of hits reserved from a shared store)", () => {
  it("on one node counts exactly: hit numbers 1..n in order, the one past the budget is over", async () => {
    const clock = { now: 1_000 };
    const node = new LeasedRateLimitStore(sharedStore(clock), 1000, () => clock.now);
    const counts = await hits(node, counter(100), 101);
    expect(counts).toEqual(Array.from({ length: 101 }, (_, i) => i + 1));
  });

  it("reserves 1, 2, 4 ... hits, up to a twentieth of the budget: a round trip per run, not per request", async () => {
    const clock = { now: 1_000 };
    const shared = sharedStore(clock);
    const node = new LeasedRateLimitStore(shared, 1000, () => clock.now);
    await hits(node, counter(2000), 1000);
    expect(shared.reservations.slice(0, 8)).toEqual([1, 2, 4, 8, 16, 32, 64, 100]);
    expect(Math.max(...shared.reservations)).toBe(100);
    expect(shared.reservations.length).toBeLessThan(20);
    // A small budget leases one hit at a time: exact even across nodes.
    expect(node.leaseCap(15)).toBe(1);
    expect(node.leaseCap(1e9)).toBe(1000);
  });

  it("never lets several nodes exceed the shared budget, and refuses at most the other nodes' unused runs early", async () => {
    const clock = { now: 1_000 };
    const shared = sharedStore(clock);
    const nodes = [0, 1, 2].map(() => new LeasedRateLimitStore(shared, 1000, () => clock.now));
    const limit = 400; // runs of at most 20
    let allowed = 0;
    for (let i = 0; i < 600; i += 1) {
      const hit = (await (nodes[i % 3] as LeasedRateLimitStore).hitUntilOver([counter(limit)]))[0] as WindowHit;
      if (hit.count <= limit) allowed += 1;
    }
    expect(allowed).toBeLessThanOrEqual(limit);
    expect(allowed).toBeGreaterThanOrEqual(limit - 2 * 20);
  });

  it("answers a spent window locally until it ends, then counts again from 1", async () => {
    const clock = { now: 1_000 };
    const shared = sharedStore(clock);
    const node = new LeasedRateLimitStore(shared, 1000, () => clock.now);
    await hits(node, counter(40), 41);
    const before = shared.reservations.length;
    const over = await hits(node, counter(40), 50);
    expect(over.every((c) => c > 40)).toBe(true);
    expect(shared.reservations.length).toBe(before);
    clock.now += 60_001;
    expect(await hits(node, counter(40), 2)).toEqual([1, 2]);
  });

  it("concurrent requests wait for one reservation instead of each asking the store, and get distinct numbers", async () => {
    const clock = { now: 1_000 };
    const shared = sharedStore(clock);
    const node = new LeasedRateLimitStore(shared, 1000, () => clock.now);
    const results = await Promise.all(Array.from({ length: 50 }, () => node.hitUntilOver([counter(10_000)])));
    const counts = results.map((r) => (r[0] as WindowHit).count).sort((a, b) => a - b);
    expect(counts).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    // 1 + 2 + 4 + 8 + 16 + 32 covers 50 hits: six round trips, not fifty (a seventh asked ahead at most).
    expect(shared.reservations.slice(0, 6)).toEqual([1, 2, 4, 8, 16, 32]);
    expect(shared.reservations.length).toBeLessThanOrEqual(7);
  });

  it("rejects every waiting request when the store fails (the gateway fails open), and asks again afterwards", async () => {
    const clock = { now: 1_000 };
    const shared = sharedStore(clock);
    const node = new LeasedRateLimitStore(shared, 1000, () => clock.now);
    shared.fail(true);
    const settled = await Promise.allSettled(Array.from({ length: 5 }, () => node.hitUntilOver([counter(100)])));
    expect(settled.every((s) => s.status === "rejected")).toBe(true);
    shared.fail(false);
    expect(await hits(node, counter(100), 1)).toEqual([1]);
  });

  it("stops at the first counter over its budget: the counters after it are not touched", async () => {
    const clock = { now: 1_000 };
    const shared = sharedStore(clock);
    const node = new LeasedRateLimitStore(shared, 1000, () => clock.now);
    await hits(node, counter(1, "ip:9"), 1);
    const out = await node.hitUntilOver([counter(1, "ip:9"), counter(100, "user:9")]);
    expect(out).toHaveLength(1);
    expect((out[0] as WindowHit).count).toBe(2);
    expect(await hits(node, counter(100, "user:9"), 1)).toEqual([1]);
  });

  it("takeNow answers from the lease without waiting, asks for the next run while half is left, and is undefined once only the store can answer", async () => {
    const clock = { now: 1_000 };
    const shared = sharedStore(clock);
    const node = new LeasedRateLimitStore(shared, 1000, () => clock.now);
    const c = counter(1000);
    expect(node.takeNow(c)).toBeUndefined();
    await hits(node, c, 1); // a run of 1; the next run (2) is asked for at once
    await new Promise((resolve) => setImmediate(resolve));
    expect(shared.reservations).toEqual([1, 2]);
    shared.fail(true);
    // From the run asked ahead, without waiting; the one after it (4) fails in the background.
    expect(node.takeNow(c)?.count).toBe(2);
    expect(node.takeNow(c)?.count).toBe(3);
    await new Promise((resolve) => setImmediate(resolve));
    expect(node.takeNow(c)).toBeUndefined();
  });
});
