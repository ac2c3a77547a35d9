import { findMatches, snippet } from "../../../../services/content/search/highlight";
import { buildQueryTerms, buildTsvector } from "../../../../services/content/search/query-terms";
import { applyChange, emptyDoc, isVisible, popularity } from "../../../../services/content/search/search-doc";
import { fold, foldWithOffsets, queryTokens } from "../../../../services/content/search/text-fold";

describe("folding and tokens", () => {
  it("folds accents, case and special letters", () => {
    expect(fold("Pokémon Café STRASSE Straße Æsir Łódź")).toBe("pokemon cafe strasse strasse aesir lodz");
  });
  it("folds ASCII text (the fast path) as the per-character folding does", () => {
    const ascii = "Speedrun ANY% Tier-List: 1v1 {x} ~ZQ\t";
    // A trailing non-ASCII letter sends the same text down the per-character path.
    const slow = foldWithOffsets(`${ascii}é`);
    expect(foldWithOffsets(ascii)).toEqual({
      folded: slow.folded.slice(0, -1),
      origin: [...slow.origin.slice(0, ascii.length), ascii.length],
    });
    expect(fold(ascii)).toBe(fold(`${ascii}é`).slice(0, -1));
  });
  it("keeps only letters and digits of a query: syntax never reaches SQL", () => {
    expect(queryTokens("'valorant' & | ! :* \\ \u0000 (cs2)")).toEqual(["valorant", "cs2"]);
    expect(queryTokens("a b c d e f g h i j")).toHaveLength(8);
  });
  it("builds tsquery and tsvector text from safe tokens only", () => {
    const terms = buildQueryTerms(["valornt", "ranked"], new Map([["valornt", ["valorant"]]]));
    expect(terms).toEqual({
      exact: "'valornt' & 'ranked'",
      prefix: "'valornt':* & 'ranked':*",
      full: "('valornt':* | 'valorant') & 'ranked':*",
      highlight: ["valornt", "valorant", "ranked"],
    });
    expect(buildQueryTerms([])).toBeNull();
    expect(() => buildQueryTerms(["a'b"])).toThrow();
    expect(
      buildTsvector([
        { words: ["a", "b"], weight: "A" },
        { words: ["c"], weight: "C" },
      ]),
    ).toBe("'a':1A 'b':2A 'c':13C");
  });
});

describe("highlights", () => {
  it("marks matched prefixes with offsets into the original text", () => {
    expect(findMatches("Straße & Pokémon", ["stras", "poke"])).toEqual([
      // "stras" ends inside the folded "ß" (ss): the whole original letter is marked.
      { start: 0, length: 5 },
      { start: 9, length: 4 },
    ]);
  });
  it("cuts a snippet around the first match", () => {
    const text = `${"intro ".repeat(60)}the castle at last ${"outro ".repeat(60)}`;
    const s = snippet(text, ["castle"]);
    expect(s?.text.startsWith("…")).toBe(true);
    const m = s?.matches[0];
    expect(s?.text.slice(m!.start, m!.start + m!.length)).toBe("castle");
  });
});

describe("documents", () => {
  const base = emptyDoc("video", "v1");
  it("skips changes older than the aspect's newest one", () => {
    const newer = applyChange(base, {
      type: "video",
      sourceId: "v1",
      aspect: "content",
      position: { at: 2 },
      fields: { title: "B", listed: true },
    });
    expect(newer?.title).toBe("B");
    expect(
      applyChange(newer!, {
        type: "video",
        sourceId: "v1",
        aspect: "content",
        position: { at: 1 },
        fields: { title: "A" },
      }),
    ).toBeNull();
    // Another aspect has its own history.
    expect(
      applyChange(newer!, { type: "video", sourceId: "v1", aspect: "stats", position: { at: 1 }, fields: { views: 5 } })
        ?.views,
    ).toBe(5);
  });
  it("orders by producer versions when both sides have one", () => {
    const v5 = applyChange(base, {
      type: "post",
      sourceId: "p",
      aspect: "content",
      position: { version: 5, at: 1 },
      fields: {},
    });
    expect(
      applyChange(v5!, { type: "post", sourceId: "p", aspect: "content", position: { version: 4, at: 9 }, fields: {} }),
    ).toBeNull();
  });
  it("shows only listed, live (streams), not deleted or suspended documents", () => {
    const listed = { ...base, title: "x", listed: true };
    expect(isVisible(listed)).toBe(true);
    expect(isVisible({ ...listed, deleted: true })).toBe(false);
    expect(isVisible({ ...listed, suspended: true })).toBe(false);
    expect(isVisible({ ...listed, type: "stream" })).toBe(false);
    expect(isVisible({ ...listed, type: "stream", live: true })).toBe(true);
  });
  it("weighs viewers now over followers over views", () => {
    expect(popularity({ live: true, viewers: 1, followers: 0, views: 0 })).toBeGreaterThan(
      popularity({ live: false, viewers: 0, followers: 9, views: 0 }),
    );
    expect(popularity({ live: false, viewers: 50, followers: 1, views: 0 })).toBe(10);
  });
});
