import { MemoryDedupeStore } from "../../../../mixins/durable-events/dedupe-store";

// The memory driver of the durable-event dedupe store (the Redis driver runs in the durable-events
// integration specs). Time is injected so every lease and expiry is checked at its exact boundary.
const CLAIM_TTL = 100;
const PROCESSED_TTL = 10_000;

function storeAt(start = 1000) {
  const clock = { now: start };
  return { clock, store: new MemoryDedupeStore(CLAIM_TTL, PROCESSED_TTL, () => clock.now) };
}

describe("MemoryDedupeStore", () => {
  it("claims once, reports busy while handling, done after completion, free after release", async () => {
    const { clock, store } = storeAt();
    expect(await store.claim("g", "e1")).toBe("claimed");
    expect(await store.claim("g", "e1")).toBe("busy");
    expect(await store.claim("other", "e1")).toBe("claimed");
    await store.complete("g", "e1");
    expect(await store.claim("g", "e1")).toBe("done");
    expect(await store.claim("g", "e2")).toBe("claimed");
    await store.release("g", "e2");
    expect(await store.claim("g", "e2")).toBe("claimed");
    clock.now += 200; // the claim lease ran out (handler crashed): another delivery may take it
    expect(await store.claim("g", "e2")).toBe("claimed");
  });

  it("keeps each (group, event) pair apart in every operation", async () => {
    const { store } = storeAt();
    expect(await store.claim("g", "a")).toBe("claimed");
    expect(await store.claim("g", "b")).toBe("claimed");
    await store.complete("g", "a");
    expect(await store.claim("g", "b")).toBe("busy");
    expect(await store.claim("h", "a")).toBe("claimed");
    await store.release("h", "a");
    expect(await store.claim("g", "a")).toBe("done");

    expect(await store.countFailure("g", "a")).toBe(1);
    expect(await store.countFailure("g", "b")).toBe(1);
    expect(await store.countFailure("h", "a")).toBe(1);
    expect(await store.countFailure("g", "a")).toBe(2);
    await store.resetFailures("g", "b");
    expect(await store.countFailure("g", "a")).toBe(3);
    expect(await store.countFailure("h", "a")).toBe(2);
  });

  it("holds a claim for exactly the claim TTL", async () => {
    const { clock, store } = storeAt();
    expect(await store.claim("g", "e")).toBe("claimed");
    clock.now += CLAIM_TTL - 1;
    expect(await store.claim("g", "e")).toBe("busy");
    clock.now += 1; // the lease ends at start + TTL
    expect(await store.claim("g", "e")).toBe("claimed");
    // The new claim starts a new lease from now.
    clock.now += CLAIM_TTL - 1;
    expect(await store.claim("g", "e")).toBe("busy");
  });

  it("remembers a completed event for the processed TTL, then lets it run again", async () => {
    const { clock, store } = storeAt();
    await store.claim("g", "e");
    clock.now += 50;
    await store.complete("g", "e");
    clock.now += PROCESSED_TTL - 1;
    expect(await store.claim("g", "e")).toBe("done");
    clock.now += 1;
    expect(await store.claim("g", "e")).toBe("claimed");
  });

  it("counts failures per event until reset, and a reset starts again from one", async () => {
    const { store } = storeAt();
    expect(await store.countFailure("g", "e")).toBe(1);
    expect(await store.countFailure("g", "e")).toBe(2);
    expect(await store.countFailure("g", "e")).toBe(3);
    await store.resetFailures("g", "e");
    expect(await store.countFailure("g", "e")).toBe(1);
    expect(await store.countFailure("g", "e")).toBe(2);
  });

  it("forgets failures the processed TTL after the last one", async () => {
    const { clock, store } = storeAt();
    expect(await store.countFailure("g", "e")).toBe(1);
    clock.now += PROCESSED_TTL - 1;
    // Each failure extends the window from its own time.
    expect(await store.countFailure("g", "e")).toBe(2);
    clock.now += PROCESSED_TTL - 1;
    expect(await store.countFailure("g", "e")).toBe(3);
    clock.now += PROCESSED_TTL;
    expect(await store.countFailure("g", "e")).toBe(1);
  });

  it("counts failures independently of claims and completion", async () => {
    const { store } = storeAt();
    expect(await store.claim("g", "e")).toBe("claimed");
    expect(await store.countFailure("g", "e")).toBe(1);
    await store.release("g", "e");
    expect(await store.countFailure("g", "e")).toBe(2);
    await store.complete("g", "e");
    await store.resetFailures("g", "e");
    expect(await store.claim("g", "e")).toBe("done");
  });

  it("close drops every mark and count", async () => {
    const { store } = storeAt();
    await store.claim("g", "busy");
    await store.claim("g", "done");
    await store.complete("g", "done");
    await store.countFailure("g", "failed");
    await store.countFailure("g", "failed");
    expect(store.size).toBe(3);
    await store.close();
    expect(store.size).toBe(0);
    expect(await store.claim("g", "busy")).toBe("claimed");
    expect(await store.claim("g", "done")).toBe("claimed");
    expect(await store.countFailure("g", "failed")).toBe(1);
  });

  describe("pruning", () => {
    // Marks are dropped only once the map reaches 10,000: a scan on every claim would make claims O(n).
    const LIMIT = 10_000;

    async function fill(store: MemoryDedupeStore, count: number) {
      for (let i = 0; i < count; i++) await store.claim("g", `old-${i}`);
    }

    it("drops expired marks and failure counts once the map reaches its limit, keeping live ones", async () => {
      const { clock, store } = storeAt();
      await store.countFailure("g", "old-failure");
      clock.now += 10;
      await store.countFailure("g", "live-failure");
      await fill(store, LIMIT - 2); // expire at start + 10 + CLAIM_TTL
      await store.claim("g", "live"); // claimed now, before they expire
      await store.complete("g", "live"); // done until start + 10 + PROCESSED_TTL
      expect(store.size).toBe(LIMIT - 1 + 2);

      // Exactly when the old claims and the first failure count expire.
      clock.now = 1000 + PROCESSED_TTL;
      await store.claim("g", "new");
      // Left: "live" (done until start + 10 + PROCESSED_TTL), "new", and the later failure count.
      expect(store.size).toBe(3);
      expect(await store.claim("g", "live")).toBe("done");
      expect(await store.claim("g", "new")).toBe("busy");
      expect(await store.countFailure("g", "live-failure")).toBe(2);
      expect(await store.countFailure("g", "old-failure")).toBe(1);
    });

    it("does not scan below the limit", async () => {
      const { clock, store } = storeAt();
      await fill(store, LIMIT - 2);
      clock.now += CLAIM_TTL;
      await store.claim("g", "new");
      expect(store.size).toBe(LIMIT - 1);
      await store.claim("g", "newer");
      expect(store.size).toBe(2);
    });
  });
});
