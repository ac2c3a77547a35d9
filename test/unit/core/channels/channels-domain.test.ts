import { normalizeSlug, slugProblem } from "../../../../services/core/channels/slug";
import {
  generateStreamKey,
  hashStreamKey,
  looksLikeStreamKey,
  STREAM_KEY_PREFIX,
  streamKeyMatches,
} from "../../../../services/core/channels/stream-key";

describe("slug rules", () => {
  it.each(["abc", "pro-gamer-42", "a1b", "x".repeat(32)])("accepts %s", (slug) =>
    expect(slugProblem(slug)).toBeUndefined(),
  );
  it.each(["ab", "-abc", "abc-", "a--b", "ABC", "with space", "x".repeat(33), "émile"])("refuses %s", (slug) =>
    expect(slugProblem(slug)).toBeDefined(),
  );
  it("refuses reserved words and normalizes input", () => {
    expect(slugProblem("admin")).toMatch(/reserved/);
    expect(normalizeSlug("  Pro-Gamer ")).toBe("pro-gamer");
  });
});

describe("stream keys", () => {
  it("are random, recognisable, and verified by hash only", () => {
    const key = generateStreamKey();
    expect(looksLikeStreamKey(key)).toBe(true);
    expect(generateStreamKey()).not.toBe(key);
    const stored = hashStreamKey(key);
    expect(stored).not.toContain(key);
    expect(streamKeyMatches(key, stored)).toBe(true);
    expect(streamKeyMatches(generateStreamKey(), stored)).toBe(false);
    expect(streamKeyMatches(key, null)).toBe(false);
    expect(streamKeyMatches(key, "abcd")).toBe(false);
  });

  // Cases found by mutation testing (npm run test:mutation): each fails if its check is weakened.
  it("has the live_ prefix, a SHA-256 hex hash, and a shape check on prefix and length bounds", () => {
    expect(STREAM_KEY_PREFIX).toBe("live_");
    expect(generateStreamKey()).toMatch(/^live_[A-Za-z0-9_-]{43}$/);
    expect(hashStreamKey("live_example")).toBe("d73fee8c135c4ec70004e8bb92a322527f4c8b5d6dac46048fc6e8b896c1905e");
    const body = (n: number) => "k".repeat(n);
    expect(looksLikeStreamKey(`live_${body(43)}`)).toBe(true);
    expect(looksLikeStreamKey(`live_${body(42)}`)).toBe(false);
    expect(looksLikeStreamKey(`live_${body(128 - 5)}`)).toBe(true);
    expect(looksLikeStreamKey(`live_${body(128 - 4)}`)).toBe(false);
    expect(looksLikeStreamKey(`lave_${body(43)}`)).toBe(false);
    expect(looksLikeStreamKey(body(48))).toBe(false);
    expect(looksLikeStreamKey("live_")).toBe(false);
  });
});
