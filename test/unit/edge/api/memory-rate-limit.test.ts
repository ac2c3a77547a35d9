import { checkLimit, MemoryRateLimitStore } from "../../../../lib/rate-limit";

describe("memory rate-limit store", () => {
  it("counts per key in fixed windows and reports Retry-After", async () => {
    let clock = 1_000_000;
    const store = new MemoryRateLimitStore(() => clock);
    const hits = [];
    for (let i = 0; i < 3; i++) hits.push(await checkLimit(store, "ip:a", 2, 60_000, clock));
    expect(hits.map((h) => [h.allowed, h.remaining])).toEqual([
      [true, 1],
      [true, 0],
      [false, 0],
    ]);
    expect(hits[2]?.retryAfterS).toBe(60);
    expect((await checkLimit(store, "ip:b", 2, 60_000, clock)).allowed).toBe(true);
    clock += 60_001;
    expect((await checkLimit(store, "ip:a", 2, 60_000, clock)).remaining).toBe(1);
  });
});

describe("MemoryRateLimitStore.hitUntilOver", () => {
  it("counts in order and stops after the first counter past its limit", async () => {
    const store = new MemoryRateLimitStore(() => 1000);
    const hits = [
      { key: "ip:a", windowMs: 60_000, limit: 1 },
      { key: "user:u", windowMs: 60_000, limit: 5 },
    ];
    expect((await store.hitUntilOver(hits)).map((h) => h.count)).toEqual([1, 1]);
    // The IP is over: the user's counter is not touched.
    expect((await store.hitUntilOver(hits)).map((h) => h.count)).toEqual([2]);
    expect((await store.hit("user:u", 60_000)).count).toBe(2);
  });
});
