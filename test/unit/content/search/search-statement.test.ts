/** The one search statement: user input only ever as binds, facets and corrections only when asked for. */
import { buildQueryTerms } from "../../../../services/content/search/query-terms";
import {
  broadPageStatement,
  extrapolation,
  planTiers,
  type MatchSample,
} from "../../../../services/content/search/broad-page";
import { searchStatement, type StatementInput } from "../../../../services/content/search/search-statement";
import { queryTokens } from "../../../../services/content/search/text-fold";

const corrections = { minLength: 4, similarity: 0.35, perToken: 3, neighbours: 8 };

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
    prefixExpansion: 16,
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

it("reads at most matchCap + 1 matches, and ranks them only when that is all of them", () => {
  const { sql, binds } = statement("valorant ranked", { matchCap: 500 });
  expect(binds).toContain(500);
  expect(sql).toMatch(/FROM documents d WHERE .* LIMIT \$\d+::int \+ 1\)/s);
  expect(sql).toMatch(/FROM m WHERE NOT \(SELECT mn\.broad FROM mn\)/);
});

describe("a broad query's page", () => {
  const sample: MatchSample = { n: 1001, blk: 99, blocks: 1000, docs: 100_000, broad: true, s3: 0, s2: 0, s1: 0 };
  const opts = { withTerms: true, corrected: false, afterTier: 3, limit: 20, matchCap: 1000, walkRowCost: 3 };

  it("extrapolates from the share of the table the sample covers", () => {
    expect(extrapolation(sample)).toBe(10);
    expect(extrapolation({ ...sample, broad: false })).toBe(1);
  });

  it("reads a small tier whole, walks a large one, and walks tier 0 only after a correction", () => {
    // Sample of 1001 x 10: tier 3 none; tier 2 ~10,000 (walked: a page after ~200 rows); tier 1 ~10 of 100,000:
    // a walk would pass most of the table, reading its superset (~10,010 rows) is cheaper.
    const plan = planTiers({ ...sample, s3: 0, s2: 1000, s1: 1001 }, opts);
    expect(plan).toEqual([
      [3, "whole"],
      [2, "walk"],
      [1, "whole"],
    ]);
    expect(planTiers({ ...sample, s3: 5, s2: 5, s1: 1001 }, { ...opts, corrected: true })).toEqual([
      [3, "whole"],
      [2, "whole"],
      [1, "walk"],
      [0, "walk"],
    ]);
    expect(planTiers(sample, { ...opts, afterTier: 1 })).toEqual([[1, "whole"]]);
    expect(planTiers(sample, { ...opts, withTerms: false })).toEqual([[0, "walk"]]);
  });

  it("concatenates the planned tiers in rank order; a walk cannot use the GIN index", () => {
    const tokens = queryTokens("valorant ranked");
    const { sql, binds } = broadPageStatement({
      terms: buildQueryTerms(tokens),
      full: "'valorant':* & 'ranked':*",
      filters: { type: "video" },
      blocked: ["u1"],
      after: [2, true, 10, "video:v1"],
      limit: 20,
      plan: [
        [2, "whole"],
        [1, "walk"],
      ],
    });
    expect(sql.match(/UNION ALL/g)?.length).toBe(1);
    expect(sql.indexOf(" 2 AS tier")).toBeLessThan(sql.indexOf(" 1 AS tier"));
    expect(sql.match(/ts_match_vq\(d\.tsv/g)?.length).toBe(1);
    expect(sql).toContain("d.title_tsv @@ $3::tsquery AND");
    expect(sql).not.toContain("valorant");
    for (let n = 1; n <= binds.length; n++) expect(sql).toMatch(new RegExp(`\\$${n}(?!\\d)`));
  });
});
