/** The one search statement: user input only ever as binds, facets and corrections only when asked for. */
import { buildQueryTerms } from "../../../../services/content/search/query-terms";
import { searchStatement, type StatementInput } from "../../../../services/content/search/search-statement";
import { queryTokens } from "../../../../services/content/search/text-fold";

const corrections = { minLength: 4, similarity: 0.35, perToken: 3 };

function statement(q: string, overrides: Partial<StatementInput> = {}) {
  const tokens = queryTokens(q);
  return searchStatement({
    tokens,
    terms: buildQueryTerms(tokens),
    filters: {},
    blocked: [],
    after: null,
    limit: 20,
    withFacets: true,
    corrections,
    matchCap: 2000,
    walkRowCost: 3,
    ...overrides,
  });
}

it("never puts filter values, blocked ids or cursor values into the SQL text", () => {
  const evil = "x'); DROP TABLE documents; --";
  const { sql, binds } = statement("valornt ranked", {
    filters: { category: evil, tags: evil, language: evil, since: evil, type: "video" },
    blocked: [evil],
    after: [2, true, 10, evil],
  });
  expect(sql).not.toContain("DROP");
  expect(binds).toEqual(expect.arrayContaining([[evil], evil]));
});

it("builds the tsquery in SQL from letters-and-digits tokens only", () => {
  const { sql, binds } = statement("'valorant' & | ! :* \\ (cs2)");
  expect(binds).toEqual(expect.arrayContaining(["valorant", "cs2", "'valorant':*", "'cs2':*"]));
  expect(sql).not.toContain("valorant");
  expect(sql).toContain("::tsquery AS full");
});

it("counts facets and widens the query only when there is something to do", () => {
  expect(statement("valorant").sql).toContain("MATERIALIZED");
  // Words too short to correct make no lexicon lookup.
  expect(statement("cs").sql).not.toContain("similarity");
  const later = statement("valorant", { withFacets: false, after: [3, false, 1, "video:v1"] });
  expect(later.sql).not.toContain("GROUPING SETS");
  expect(later.sql).toMatch(/NULL::json AS facets/);
  const browse = statement("", { filters: { type: "stream" } });
  expect(browse.sql).not.toContain("tsquery");
  expect(browse.sql).toMatch(/NULL::json AS corrections/);
});

it("uses every bind it makes (PostgreSQL refuses a bind it cannot type)", () => {
  for (const q of ["a b", "valornt", "cs go ranked", ""]) {
    const { sql, binds } = statement(q, { filters: { type: "video", live: true }, blocked: ["u1"] });
    for (let n = 1; n <= binds.length; n++) expect(sql).toMatch(new RegExp(`\\$${n}(?!\\d)`));
  }
});

it("reads at most matchCap + 1 matches up front, and walks rank order only for tiers the cursor has not passed", () => {
  const first = statement("valorant ranked", { matchCap: 500 });
  expect(first.binds).toContain(500);
  expect(first.sql).toMatch(/FROM documents d WHERE .* LIMIT \$\d+::int \+ 1\)/s);
  // Four tiers, each read whole or walked (tier 0 walked only), after the ranking of the few matches.
  expect(first.sql.match(/UNION ALL/g)?.length).toBeGreaterThanOrEqual(7);
  expect(first.sql).toContain("ts_match_vq(d.tsv");
  const tier1 = statement("valorant ranked", { after: [1, false, 5, "video:v9"] });
  expect(tier1.sql).not.toContain("title_tsv @@ $6::tsquery AND (CASE");
  expect(tier1.sql.match(/ts_match_vq\(d\.tsv/g)?.length).toBe(2);
});
