/**
 * Typo tolerance (migrations/008, search-statement.ts): a query word of 4+ letters finds the indexed words one edit
 * away, below what matches as typed; shorter words stay exact or prefix. Run on PostgreSQL and on embedded PGlite
 * (one file each), since the lookup is plain SQL that both must answer alike.
 */
import { writeDocs } from "../../../../services/content/search/index-store";
import { emptyDoc, type SearchDoc } from "../../../../services/content/search/search-doc";
import { runSearch } from "../../../../services/content/search/search-query";
import { startSearch, type SearchHarness } from "./search-harness";

const doc = (type: "channel" | "video", id: string, title: string, body = ""): SearchDoc => ({
  ...emptyDoc(type, id),
  title,
  body,
  listed: true,
  ownerId: `owner-${id}`,
});

/** The rule the SQL implements, by code points: at most one substitution, insertion, deletion or adjacent swap. */
function withinOneEdit(a: string, b: string): boolean {
  const x = Array.from(a);
  const y = Array.from(b);
  if (Math.abs(x.length - y.length) > 1) return false;
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  const rest = (p: string[], from: number) => p.slice(from).join("");
  if (x.length < y.length) return rest(x, i) === rest(y, i + 1);
  if (x.length > y.length) return rest(x, i + 1) === rest(y, i);
  if (i === x.length || rest(x, i + 1) === rest(y, i + 1)) return true;
  return x[i] === y[i + 1] && x[i + 1] === y[i] && rest(x, i + 2) === rest(y, i + 2);
}

export function describeTypos(name: string, env: Record<string, string | undefined>): void {
  describe(`search typo tolerance (${name})`, () => {
    let h: SearchHarness;
    const found = async (q: string) => {
      const r = await runSearch(h.search, { q }, []);
      return { ids: r.items.map((i) => `${i.type}:${i.id}:${i.tier}`), corrections: r.corrections };
    };

    beforeAll(async () => {
      h = await startSearch({ env });
      await writeDocs(h.search, [
        doc("channel", "tour", "Tour channel"),
        doc("channel", "tournament", "Tournament finals"),
        doc("channel", "cat", "Cat stream"),
        doc("channel", "zoe", "Zoë and Ünïcode"),
        doc("channel", "ru", "Турнир финал"),
        // "tuor" as typed, in a description only: no title or tag word starts with it, so it is still corrected.
        doc("video", "typed", "Castle walk", "our tuor of the castle"),
      ]);
    });
    afterAll(async () => {
      await h?.stop();
    });

    it("finds a word with two adjacent letters swapped, below a document matching the word as typed", async () => {
      expect(await found("tuor")).toEqual({
        ids: ["video:typed:1", "channel:tour:0"],
        corrections: { tuor: ["tour"] },
      });
      expect(await found("tuornament")).toEqual({
        ids: ["channel:tournament:0"],
        corrections: { tuornament: ["tournament"] },
      });
    });

    it("finds a word with one letter substituted, added or dropped, before words only similar by trigrams", async () => {
      const cases: Array<[string, string, string]> = [
        ["tiur", "tour", "channel:tour:0"],
        ["toure", "tour", "channel:tour:0"],
        ["tournamnt", "tournament", "channel:tournament:0"],
        ["tourxnament", "tournament", "channel:tournament:0"],
        ["finels", "finals", "channel:tournament:0"],
        ["тунрир", "турнир", "channel:ru:0"],
      ];
      for (const [q, word, id] of cases) {
        const { ids, corrections } = await found(q);
        expect({ q, first: corrections[q]?.[0], found: ids.includes(id) }).toEqual({ q, first: word, found: true });
      }
    });

    it("leaves words of fewer than 4 letters exact or prefix", async () => {
      expect(await found("cta")).toEqual({ ids: [], corrections: {} });
      // A prefix of "tuor" (a description word) as typed, not "tour" one swap away.
      expect(await found("tuo")).toEqual({ ids: ["video:typed:1"], corrections: {} });
      expect((await found("cat")).ids).toEqual(["channel:cat:3"]);
    });

    it("looks up exactly the lexicon words one edit away, in any alphabet (positions count characters)", async () => {
      const lexicon = (await h.search.db.query<{ term: string }>("SELECT term FROM terms")).map((r) => r.term);
      const probes = [
        "tuor",
        "otur",
        "tour",
        "tourr",
        "tor",
        "toru",
        "tuornament",
        "finasl",
        "unicdoe",
        "castel",
        "zoee",
        "тунрир",
        "турнр",
        "финлал",
      ];
      for (const q of probes) {
        const rows = await h.search.db.query<{ term: string }>(
          "SELECT n.neighbour AS term FROM term_neighbours($1::text, $2::int) n",
          [q, 1000],
        );
        const expected = lexicon.filter((w) => w !== q && withinOneEdit(q, w)).sort();
        expect({ q, words: rows.map((r) => r.term).sort() }).toEqual({ q, words: expected });
      }
    });
  });
}
