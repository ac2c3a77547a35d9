/** The corpus specs, run on PostgreSQL and on embedded PGlite (one file each). */
import { runSearch, type SearchParams, type SearchResult } from "../../../../services/content/search/search-query";
import { waitFor } from "../../../helpers/infra";
import { EXPECTED, loadCorpus } from "./corpus";
import { startSearch, type SearchHarness } from "./search-harness";

export function describeRanking(name: string, env: Record<string, string | undefined>): void {
  describe(`search ranking and privacy (${name})`, () => {
    let h: SearchHarness;
    const search = async (query: string): Promise<SearchResult> => {
      const res = await h.api.request<SearchResult>("GET", `/search?${query}`);
      if (res.status !== 200) throw new Error(`${query}: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    };
    const ids = (r: SearchResult) => r.items.map((i) => `${i.type}:${i.id}`);

    beforeAll(async () => {
      h = await startSearch({ env });
      await loadCorpus(h);
      // Viewer counts are written together a second after they arrive. Wait for the counts themselves:
      // the order alone is the same before they land (ties broken by id), and a write landing mid-test
      // moved a stream past a page's cursor (a flaky broad-query spec on a loaded CI run).
      const counts = (r: SearchResult) => r.items.map((i) => `${i.type}:${i.id}:${i.viewers}`).join();
      await waitFor(async () => counts(await search("type=stream")) === "stream:c1:500,stream:c3:50,stream:c5:10", {
        what: "viewer counts indexed",
      });
    });
    afterAll(async () => {
      await h?.stop();
    });

    it.each(EXPECTED)("%s returns the expected order", async (query, expected) => {
      expect(ids(await search(query))).toEqual(expected);
    });

    it("pages with a cursor without repeating or skipping, facets on the first page", async () => {
      const all = ids(await search("q=valorant"));
      const first = await search("q=valorant&limit=3");
      expect(first.facets?.type).toEqual(
        expect.arrayContaining([
          { value: "channel", count: 2 },
          { value: "stream", count: 1 },
          { value: "user", count: 1 },
        ]),
      );
      expect(first.facets?.live).toBe(2);
      const seen = ids(first);
      let cursor = first.nextCursor;
      while (cursor) {
        const page = await search(`q=valorant&limit=3&cursor=${cursor}`);
        expect(page.facets).toBeNull();
        seen.push(...ids(page));
        cursor = page.nextCursor;
      }
      expect(seen).toEqual(all);
    });

    it("ranks a broad query (more matches than matchCap) exactly as reading every match, page by page; facets estimated", async () => {
      const svc = h.search;
      const saved = { matchCap: svc.settings.matchCap, walkRowCost: svc.settings.walkRowCost };
      // Straight to the statement (no gateway, no result cache): every page of a query, and the first page's facets.
      const pages = async (params: SearchParams, limit: number) => {
        const seen: string[] = [];
        let first: SearchResult | null = null;
        let cursor: string | undefined;
        do {
          const page = await runSearch(svc, { ...params, limit, cursor }, []);
          first ??= page;
          seen.push(...ids(page));
          cursor = page.nextCursor ?? undefined;
        } while (cursor);
        return { ids: seen, facets: first?.facets ?? null };
      };
      try {
        for (const [query, expected] of EXPECTED) {
          const url = new URLSearchParams(query);
          const params: SearchParams = {
            ...(url.get("q") !== null ? { q: url.get("q") ?? "" } : {}),
            ...(url.get("type") ? { type: url.get("type") as SearchParams["type"] } : {}),
            ...(url.get("live") ? { live: url.get("live") === "true" } : {}),
          };
          Object.assign(svc.settings, saved);
          const whole = await pages(params, 20);
          expect(whole.ids).toEqual(expected);
          expect(whole.facets?.estimated).toBe(false);
          // walkRowCost 0: every broad tier is walked in rank order; 1e9: every one is read whole and sorted.
          for (const [matchCap, walkRowCost, limit] of [
            [1, 0, 1],
            [2, 0, 2],
            [1, 1e9, 2],
            [3, 1e9, 1],
            [2, 3, 20],
          ]) {
            Object.assign(svc.settings, { matchCap, walkRowCost });
            const capped = await pages(params, limit ?? 20);
            expect({ query, matchCap, walkRowCost, ids: capped.ids }).toEqual({
              query,
              matchCap,
              walkRowCost,
              ids: expected,
            });
            const broad = (whole.facets?.total ?? 0) > (matchCap ?? 0);
            expect({ query, matchCap, estimated: capped.facets?.estimated }).toEqual({
              query,
              matchCap,
              estimated: broad,
            });
            if (broad) expect(capped.facets?.total).toBeGreaterThan(matchCap ?? 0);
            else expect(capped.facets).toEqual(whole.facets);
          }
        }
      } finally {
        Object.assign(svc.settings, saved);
      }
    });

    it("finds the same documents, order and facets whether a word is expanded into indexed words or searched as a prefix", async () => {
      const svc = h.search;
      const saved = svc.settings.prefixExpansion;
      const answer = async (q: string) => {
        const r = await runSearch(svc, { q, limit: 50 }, []);
        return { q, ids: ids(r), facets: r.facets, corrections: r.corrections };
      };
      // Expected queries plus prefixes of description-only, title and tag words, typos and a word nothing starts with.
      const queries = [
        ...EXPECTED.map(([query]) => new URLSearchParams(query).get("q")).filter((q): q is string => !!q),
        "cast",
        "castl",
        "speedrunn",
        "bloc",
        "val",
        "valo rank",
        "spee",
        "valornt",
        "zzzq",
        "a",
      ];
      try {
        for (const q of queries) {
          svc.settings.prefixExpansion = 0;
          const prefix = await answer(q);
          for (const expansion of [1, 2, 16]) {
            svc.settings.prefixExpansion = expansion;
            expect(await answer(q)).toEqual(prefix);
          }
        }
      } finally {
        svc.settings.prefixExpansion = saved;
      }
    });

    it("highlights plain text with offsets into the original (accents kept)", async () => {
      const [hit] = (await search("q=pokemon%20caf")).items;
      expect(hit?.title).toBe("Pokémon Café");
      expect(hit?.highlights.title).toEqual([
        { start: 0, length: 7 },
        { start: 8, length: 3 },
      ]);
      const [video] = (await search("q=castle&type=video&limit=1")).items;
      const snippet = video?.snippet ?? "";
      const marked = (video?.highlights.snippet ?? []).map((m) => snippet.slice(m.start, m.start + m.length));
      expect(marked).toEqual(["castle"]);
    });

    it("answers SQL and tsquery syntax with results or a 400, never a 500", async () => {
      const nasty = [
        "'",
        "&",
        "|",
        "!",
        ":*",
        "\\",
        "\u0000",
        "valorant' OR 1=1 --",
        "a & | ! :* b",
        "(((",
        "'; DROP TABLE documents; --",
      ];
      for (const q of nasty) {
        for (const path of ["search", "search/suggest"]) {
          const res = await h.api.request<SearchResult>("GET", `/${path}?q=${encodeURIComponent(q)}`);
          expect([200, 400]).toContain(res.status);
        }
      }
      expect((await h.api.request("GET", `/search?q=${"a".repeat(201)}`)).status).toBe(400);
      expect((await h.api.request("GET", `/search?category=${encodeURIComponent("x\u0000")}`)).status).toBe(400);
      expect((await h.api.request("GET", "/search?cursor=bm90LWEtY3Vyc29y")).status).toBe(400);
      expect(ids(await search(`q=${encodeURIComponent("valorant' OR 1=1 --")}`))).toEqual([]);
    });

    it("suggests titles and words from a prefix", async () => {
      const res = await h.api.request<{ items: Array<{ type: string; id: string }>; completions: string[] }>(
        "GET",
        "/search/suggest?q=valo",
      );
      expect(res.status).toBe(200);
      expect(res.body.completions).toEqual(["valorant", "valorantqueen"]);
      expect(res.body.items.map((i) => `${i.type}:${i.id}`).slice(0, 2)).toEqual(["channel:c1", "stream:c1"]);
    });

    it("reuses a word's lexicon lookups until the lexicon changes, then looks again (a new word is found at once)", async () => {
      const svc = h.search;
      const statements: string[] = [];
      const query = svc.db.query.bind(svc.db);
      svc.db.query = (async (sql: string, bind?: unknown[]) => {
        statements.push(sql);
        return query(sql, bind);
      }) as typeof svc.db.query;
      const channel = (id: string, title: string) =>
        h.deliver(
          "channel.created",
          {
            channelId: id,
            ownerId: `owner-${id}`,
            slug: id,
            title,
            category: null,
            createdAt: new Date().toISOString(),
          },
          new Date(),
        );
      const found = async (q: string) => {
        statements.length = 0;
        const r = await runSearch(svc, { q }, []);
        return {
          ids: ids(r),
          lookedUp: statements.some((sql) => /FROM words w/.test(sql)),
          corrections: r.corrections,
        };
      };
      try {
        await h.handled([await channel("q1", "Quokka party")]);
        expect(await found("quok partx")).toEqual({
          ids: ["channel:q1"],
          lookedUp: true,
          corrections: { partx: ["party"] },
        });
        // Asked again, and in another query: no lookups, same answers (the correction comes from the memo too).
        expect(await found("quok partx")).toEqual({
          ids: ["channel:q1"],
          lookedUp: false,
          corrections: { partx: ["party"] },
        });
        expect(await found("quok")).toEqual({ ids: ["channel:q1"], lookedUp: false, corrections: {} });
        // A new word starting "quok": the generation moved, so the remembered expansion (quokka) is not trusted.
        await h.handled([await channel("q2", "Quokkas united")]);
        expect(await found("quok")).toEqual({ ids: ["channel:q1", "channel:q2"], lookedUp: true, corrections: {} });
        expect(await found("quok")).toEqual({ ids: ["channel:q1", "channel:q2"], lookedUp: false, corrections: {} });
      } finally {
        svc.db.query = query;
      }
    });
  });
}
