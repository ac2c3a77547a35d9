/** The one bounded TTL LRU: what it keeps, for how long, what it drops first, and which fills it refuses. */
import { BoundedTtlCache } from "../../../../lib/cache";

function cache(maxEntries = 10, ttlMs = 1000, extra: { maxBytes?: number } = {}) {
  let now = 10_000;
  const c = new BoundedTtlCache<string, string>({
    maxEntries,
    ttlMs,
    now: () => now,
    ...(extra.maxBytes === undefined ? {} : { maxBytes: extra.maxBytes, sizeOf: (v: string) => v.length }),
  });
  return { c, advance: (ms: number) => (now += ms), at: () => now };
}

describe("BoundedTtlCache: bounds", () => {
  it("drops the least recently used past maxEntries, a read counting as a use", () => {
    const { c } = cache(2);
    c.set("a", "1");
    c.set("b", "2");
    expect(c.get("a")).toBe("1");
    c.set("c", "3");
    expect(c.get("b")).toBeUndefined();
    expect(c.get("a")).toBe("1");
    expect(c.get("c")).toBe("3");
    expect(c.size).toBe(2);
  });

  it("replacing a key makes it the most recent and evicts nothing", () => {
    const { c } = cache(2);
    c.set("a", "1");
    c.set("b", "2");
    c.set("a", "1'");
    expect(c.size).toBe(2);
    c.set("c", "3");
    expect(c.get("b")).toBeUndefined();
    expect(c.get("a")).toBe("1'");
  });

  it("bounds the bytes held by the caller's size, whatever the entry count allows", () => {
    const { c } = cache(100, 1000, { maxBytes: 10 });
    c.set("a", "aaaaaa");
    c.set("b", "bbbbbb");
    expect(c.get("a")).toBeUndefined();
    expect(c.heldBytes).toBe(6);
    // Too large alone: refused, and what "b" held stays.
    expect(c.set("b", "x".repeat(11))).toBe(false);
    expect(c.get("b")).toBe("bbbbbb");
    c.set("b", "bb");
    expect(c.heldBytes).toBe(2);
    c.delete("b");
    expect(c.heldBytes).toBe(0);
  });

  it("counts no bytes without a byte bound, and wants sizeOf with one", () => {
    const { c } = cache();
    c.set("a", "aaaa");
    expect(c.heldBytes).toBe(0);
    expect(() => new BoundedTtlCache<string, string>({ maxEntries: 1, ttlMs: 1, maxBytes: 1 })).toThrow(/sizeOf/);
  });

  it("is off (stores nothing) with maxEntries or ttlMs of 0", () => {
    for (const off of [cache(0).c, cache(10, 0).c]) {
      expect(off.enabled).toBe(false);
      expect(off.set("a", "1")).toBe(false);
      expect(off.get("a")).toBeUndefined();
    }
  });
});

describe("BoundedTtlCache: expiry", () => {
  it("keeps a value ttlMs on the injected clock, and drops it when read after", () => {
    const { c, advance } = cache(10, 1000);
    c.set("a", "1");
    advance(999);
    expect(c.get("a")).toBe("1");
    advance(1);
    expect(c.get("a")).toBeUndefined();
    expect(c.size).toBe(0);
  });

  it("takes a value's own expiry instead of the TTL, and a caller's `now` for a read", () => {
    const { c, at } = cache(10, 1000);
    c.set("short", "1", undefined, at() + 10);
    c.set("long", "2", undefined, at() + 5000);
    expect(c.get("short", at() + 9)).toBe("1");
    expect(c.get("short", at() + 10)).toBeUndefined();
    expect(c.get("long", at() + 4999)).toBe("2");
  });

  it("gives back the byte count of an expired value it drops", () => {
    const { c, advance } = cache(10, 1000, { maxBytes: 100 });
    c.set("a", "aaaa");
    advance(1000);
    expect(c.get("a")).toBeUndefined();
    expect(c.heldBytes).toBe(0);
  });
});

describe("BoundedTtlCache: generation guard", () => {
  it("refuses a fill begun before any invalidation, takes one begun after", () => {
    for (const invalidate of [
      (c: BoundedTtlCache<string, string>) => c.invalidate("other"),
      (c: BoundedTtlCache<string, string>) => c.invalidateAll(),
      (c: BoundedTtlCache<string, string>) => c.invalidateWhere(() => false),
      (c: BoundedTtlCache<string, string>) => c.bumpGeneration(),
    ]) {
      const { c } = cache();
      const before = c.generation();
      invalidate(c);
      expect(c.set("a", "old", before)).toBe(false);
      expect(c.get("a")).toBeUndefined();
      expect(c.set("a", "new", c.generation())).toBe(true);
      expect(c.get("a")).toBe("new");
    }
  });

  it("does not move on a plain delete, a set or a read", () => {
    const { c } = cache();
    const before = c.generation();
    c.set("a", "1");
    c.get("a");
    c.delete("a");
    expect(c.generation()).toBe(before);
    expect(c.set("a", "2", before)).toBe(true);
  });

  it("invalidates one key, the values a predicate picks, or all", () => {
    const { c } = cache(10, 1000, { maxBytes: 100 });
    c.set("a", "x1");
    c.set("b", "y1");
    c.set("c", "x2");
    c.invalidate("a");
    expect(c.get("a")).toBeUndefined();
    c.invalidateWhere((value, key) => value.startsWith("x") || key === "nothing");
    expect(c.get("c")).toBeUndefined();
    expect(c.get("b")).toBe("y1");
    expect(c.heldBytes).toBe(2);
    c.invalidateAll();
    expect(c.size).toBe(0);
    expect(c.heldBytes).toBe(0);
  });
});
