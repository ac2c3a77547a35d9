/**
 * Index writers that add words at the same time do not queue on each other (the lexicon's version is a sum of
 * counters, migrations/007), and the per-node memo of lexicon lookups still sees a word whichever counter its
 * transaction moved.
 */
import { writeDocs } from "../../../../services/content/search/index-store";
import { emptyDoc, type SearchDoc } from "../../../../services/content/search/search-doc";
import { runSearch } from "../../../../services/content/search/search-query";
import { startSearch, type SearchHarness } from "./search-harness";

const channel = (id: string, title: string): SearchDoc => ({
  ...emptyDoc("channel", id),
  title,
  listed: true,
  ownerId: `owner-${id}`,
});

describe("search index writers and the lexicon", () => {
  let h: SearchHarness;
  beforeAll(async () => {
    h = await startSearch();
  });
  afterAll(async () => {
    await h?.stop();
  });

  const found = async (q: string) => (await runSearch(h.search, { q }, [])).items.map((i) => i.id).sort();

  it("a writer adding words commits while another one adding words is still open; a search sees each word at once", async () => {
    const svc = h.search;
    await writeDocs(svc, [channel("w1", "Wombat cave")]);
    // Remembered lookups: "womb" expands to wombat under the current version.
    expect(await found("womb")).toEqual(["w1"]);

    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let opened!: () => void;
    const open = new Promise<void>((resolve) => (opened = resolve));
    const first = svc.db.transaction(async () => {
      await writeDocs(svc, [channel("n1", "Numbat burrow")]);
      opened();
      await held;
    });
    try {
      await open;
      // One counter was the whole version: this transaction waited for the open one to commit.
      const second = svc.db.transaction(() => writeDocs(svc, [channel("w2", "Wombats united")]));
      let timer: NodeJS.Timeout | undefined;
      const outcome = await Promise.race([
        second.then(() => "committed"),
        new Promise<string>((resolve) => (timer = setTimeout(() => resolve("waiting"), 3000))),
      ]);
      clearTimeout(timer);
      expect(outcome).toBe("committed");
      // The memo's "womb" lookups came before "wombats": the version moved (another counter), so they are redone.
      expect(await found("womb")).toEqual(["w1", "w2"]);
      expect(await found("numb")).toEqual([]);
    } finally {
      release();
      await first;
    }
    expect(await found("numb")).toEqual(["n1"]);
    expect(await found("womb")).toEqual(["w1", "w2"]);
  });
});
