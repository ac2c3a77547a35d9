import { normalizeSlug, slugProblem } from "../../../../services/core/channels/slug";
import {
  generateStreamKey,
  hashStreamKey,
  looksLikeStreamKey,
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
});
