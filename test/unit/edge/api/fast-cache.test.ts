import { etagOf, matchesIfNoneMatch, ResponseCache, type CachedAnswer } from "../../../../services/edge/api/fast-cache";

function answer(body: string, service = "channels", expiresAt = Number.MAX_SAFE_INTEGER): CachedAnswer {
  const etag = etagOf(body);
  return { body, etag, headers: [], notModifiedHeaders: [], route: "/r", service, expiresAt };
}

describe("ResponseCache (the gateway's copy of anonymous reads)", () => {
  it("bounds the bytes held, whatever the entry count allows", () => {
    const cache = new ResponseCache(100, 1000, 10);
    cache.set("/a", answer("aaaaaa"), cache.generation);
    cache.set("/b", answer("bbbbbb"), cache.generation);
    expect(cache.get("/a", 0)).toBeUndefined();
    expect(cache.heldBytes).toBe(6);
    expect(cache.set("/big", answer("x".repeat(11)), cache.generation)).toBe(false);
    cache.set("/b", answer("bb"), cache.generation);
    expect(cache.heldBytes).toBe(2);
  });

  it("expires entries and drops one service's on invalidation", () => {
    const cache = new ResponseCache(10, 1000);
    cache.set("/a", answer("a", "channels", 100), cache.generation);
    cache.set("/u", answer("u", "users"), cache.generation);
    expect(cache.get("/a", 99)?.body).toBe("a");
    expect(cache.get("/a", 100)).toBeUndefined();
    cache.set("/a", answer("a"), cache.generation);
    cache.invalidate("channels");
    expect(cache.get("/a", 0)).toBeUndefined();
    expect(cache.get("/u", 0)?.body).toBe("u");
  });

  it("refuses an answer read before an invalidation (it may predate the change)", () => {
    const cache = new ResponseCache(10, 1000);
    const before = cache.generation;
    cache.invalidate("channels");
    expect(cache.set("/a", answer("old"), before)).toBe(false);
    expect(cache.get("/a", 0)).toBeUndefined();
    expect(cache.set("/a", answer("new"), cache.generation)).toBe(true);
  });

  it("is off with a size or TTL of 0", () => {
    expect(new ResponseCache(0, 1000).enabled).toBe(false);
    expect(new ResponseCache(10, 0).enabled).toBe(false);
    const off = new ResponseCache(0, 1000);
    expect(off.set("/a", answer("a"), off.generation)).toBe(false);
  });
});

describe("ETag and If-None-Match", () => {
  it("gives the same bytes the same strong tag, as a string or a Buffer", () => {
    expect(etagOf('{"a":1}')).toBe(etagOf(Buffer.from('{"a":1}')));
    expect(etagOf('{"a":1}')).not.toBe(etagOf('{"a":2}'));
    expect(etagOf("x")).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
  });

  it("matches *, the tag, a weak form of it, or one in a list", () => {
    const tag = etagOf("x");
    expect(matchesIfNoneMatch(undefined, tag)).toBe(false);
    expect(matchesIfNoneMatch(tag, tag)).toBe(true);
    expect(matchesIfNoneMatch("*", tag)).toBe(true);
    expect(matchesIfNoneMatch(`W/${tag}`, tag)).toBe(true);
    expect(matchesIfNoneMatch(`"a", ${tag}`, tag)).toBe(true);
    expect(matchesIfNoneMatch('"a", "b"', tag)).toBe(false);
  });
});
