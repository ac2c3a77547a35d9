import { hitHref, splitMatches } from "../../../../web/src/lib/search-hits";
import type { SearchHit } from "../../../../web/src/api/schemas";

const join = (pieces: ReturnType<typeof splitMatches>) =>
  pieces.map((p) => (p.match ? `[${p.text}]` : p.text)).join("");

describe("web search hits: highlight ranges become text pieces", () => {
  it("marks each matched range and keeps the text between", () => {
    expect(
      join(
        splitMatches("Speedrun any% world record", [
          { start: 0, length: 5 },
          { start: 14, length: 5 },
        ]),
      ),
    ).toBe("[Speed]run any% [world] record");
  });

  it("keeps markup characters as text (the pieces are rendered as text nodes)", () => {
    const text = "<img src=x onerror=alert(1)> speedrun";
    const pieces = splitMatches(text, [{ start: 29, length: 5 }]);
    expect(pieces.map((p) => p.text).join("")).toBe(text);
    expect(pieces.filter((p) => p.match).map((p) => p.text)).toEqual(["speed"]);
  });

  it("clips ranges that overlap, run past the end or come out of order", () => {
    expect(
      join(
        splitMatches("abcdefghij", [
          { start: 6, length: 10 },
          { start: 1, length: 3 },
          { start: 2, length: 3 },
          { start: -4, length: 2 },
        ]),
      ),
    ).toBe("a[bcd][e]f[ghij]");
    expect(join(splitMatches("", [{ start: 0, length: 3 }]))).toBe("");
    expect(join(splitMatches("plain", []))).toBe("plain");
  });
});

describe("web search hits: where a hit opens", () => {
  const hit = (over: Partial<SearchHit>): SearchHit => ({
    type: "channel",
    id: "h1",
    title: "Title",
    snippet: null,
    highlights: { title: [], snippet: [] },
    path: null,
    channelId: null,
    ownerId: null,
    category: null,
    tags: [],
    language: null,
    live: false,
    viewers: 0,
    followers: 0,
    views: 0,
    durationS: null,
    publishedAt: null,
    tier: 3,
    ...over,
  });

  it("uses the indexed client path, a profile for people, and never an absolute or scripted URL", () => {
    expect(hitHref(hit({ path: "/c/speed" }))).toBe("/c/speed");
    expect(hitHref(hit({ type: "user", id: "u/1" }))).toBe("/u/u%2F1");
    expect(hitHref(hit({ path: "javascript:alert(1)", title: "x y" }))).toBe("/search?q=x%20y");
    expect(hitHref(hit({ path: "//evil.example/" }))).toBe("/search?q=Title");
  });
});
