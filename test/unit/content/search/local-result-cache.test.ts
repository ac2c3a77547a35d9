/** The in-process layer of the search result cache: what it keeps, and what makes it forget. */
import { LocalResultCache } from "../../../../services/content/search/local-result-cache";
import type { ResultCache } from "../../../../services/content/search/result-cache";

/** A Redis layer in memory, counting reads, with a generation bumped by invalidate. */
class FakeShared implements ResultCache<string> {
  reads = 0;
  bumps = 0;
  healthy = true;
  private generation = 0;
  private readonly entries = new Map<string, string>();
  async get(key: string) {
    this.reads++;
    if (!this.healthy) return { value: null, generation: "" };
    return { value: this.entries.get(`${this.generation}:${key}`) ?? null, generation: String(this.generation) };
  }
  async set(key: string, generation: string, value: string) {
    if (generation) this.entries.set(`${generation}:${key}`, value);
  }
  async invalidate() {
    this.bumps++;
    this.generation++;
  }
  clearLocal() {}
  close() {}
}

function setup(ttlMs = 60_000, maxEntries = 100) {
  const shared = new FakeShared();
  const announce = jest.fn(async () => undefined);
  const cache = new LocalResultCache(shared, ttlMs, maxEntries, announce);
  /** What cachedSearch does: read, and on a miss compute and store under the generation read. */
  const search = async (key: string, compute: () => string) => {
    const hit = await cache.get(key);
    if (hit.value !== null) return hit.value;
    const value = compute();
    await cache.set(key, hit.generation, value);
    return value;
  };
  return { shared, announce, cache, search };
}

it("answers a repeated query from the process, without a Redis read", async () => {
  const { shared, search } = setup();
  expect(await search("q", () => "a")).toBe("a");
  expect(await search("q", () => "b")).toBe("a");
  expect(await search("q", () => "c")).toBe("a");
  expect(shared.reads).toBe(1);
});

it("keeps what Redis answered, so the next ask is local too", async () => {
  const { shared, cache, search } = setup();
  await shared.set("q", "0", "from-redis");
  expect(await search("q", () => "computed")).toBe("from-redis");
  expect((await cache.get("q")).value).toBe("from-redis");
  expect(shared.reads).toBe(1);
});

it("forgets everything on invalidate, bumps Redis and tells the other nodes", async () => {
  const { shared, announce, cache, search } = setup();
  await search("q", () => "old");
  await cache.invalidate();
  expect(shared.bumps).toBe(1);
  expect(announce).toHaveBeenCalledTimes(1);
  expect(await search("q", () => "new")).toBe("new");
});

it("forgets on another node's signal (clearLocal) without bumping Redis again", async () => {
  const { shared, cache, search } = setup();
  await search("q", () => "old");
  cache.clearLocal();
  // Redis still holds the entry under its generation (the other node bumped it; this fake did not).
  expect(await search("q", () => "new")).toBe("old");
  expect(shared.reads).toBe(2);
  expect(shared.bumps).toBe(0);
});

it("does not keep an answer computed while an invalidation happened", async () => {
  const { shared, cache } = setup();
  const miss = await cache.get("q");
  await cache.invalidate();
  await cache.set("q", miss.generation, "computed-before-the-change");
  expect((await cache.get("q")).value).toBeNull();
  expect(shared.reads).toBe(2);
});

it("keeps nothing while Redis is unhealthy, nor past its TTL, nor beyond its size", async () => {
  const unhealthy = setup();
  unhealthy.shared.healthy = false;
  await unhealthy.search("q", () => "a");
  expect(await unhealthy.search("q", () => "b")).toBe("b");

  const now = jest.spyOn(Date, "now").mockReturnValue(1_000);
  try {
    const short = setup(500);
    await short.search("q", () => "a");
    now.mockReturnValue(1_499);
    expect((await short.cache.get("q")).value).toBe("a");
    now.mockReturnValue(1_500);
    short.shared.healthy = false;
    expect((await short.cache.get("q")).value).toBeNull();
  } finally {
    now.mockRestore();
  }

  const small = setup(60_000, 2);
  await small.search("a", () => "1");
  await small.search("b", () => "2");
  await small.cache.get("a"); // used: "b" is now the least recently used
  await small.search("c", () => "3");
  small.shared.healthy = false;
  expect((await small.cache.get("a")).value).toBe("1");
  expect((await small.cache.get("c")).value).toBe("3");
  expect((await small.cache.get("b")).value).toBeNull();
});
