/**
 * GET /search's first SQL statement (one round trip, one snapshot): spelling
 * corrections from the lexicon, the tsquery they widen, the first matches
 * (at most matchCap + 1), and when those are all of them, the ranked page and,
 * on a first page, the facet counts, answered as one row of JSON. A broad
 * query (more matches) gets its page from a second statement (broad-page.ts).
 *
 *   q       the query words, and for each one that no indexed word starts
 *           with, its lexicon words one edit away, then its closest by pg_trgm (rules in search-query.ts)
 *   tq      the tsquery: every word as a prefix, or one of its corrections
 *   m       up to matchCap + 1 visible matches with their sort key, in table order
 *   mn      how many, how far into the table, how many per tier (the sample)
 *   top     the page's ids, in rank order (only these rows' text is read), unless broad
 *   f       facet counts of m (of a broad query, a sample's)
 *
 * User input reaches SQL only as binds; the tsquery text is built from
 * tokens of letters and digits (query-terms.ts) and lexicon words, quoted.
 */
import type { WordLookup } from "./lexicon-memo";
import { lexiconQuery, prefixLexeme, type QueryTerms } from "./query-terms";
import type { DocType } from "./search-doc";
import { fold } from "./text-fold";
import { NOT_SUSPENDED_OWNER } from "./suspended-owners";

export interface SearchFilters {
  type?: DocType;
  category?: string;
  /** Comma-separated; a document with any of them matches. */
  tags?: string;
  language?: string;
  live?: boolean;
  minDurationS?: number;
  maxDurationS?: number;
  /** ISO dates: published (or started, or starts for tournaments) in this range. */
  since?: string;
  until?: string;
}

/** Sort key of a hit (tier, live, popularity, id): what a cursor carries. */
export type SortKey = [number, boolean, number, string];

export interface CorrectionSettings {
  /** Shortest word worth correcting. */
  minLength: number;
  /** Least pg_trgm similarity of a correction. */
  similarity: number;
  /** Corrections by trigram similarity kept per word. */
  perToken: number;
  /** Lexicon words one edit away (migrations/008) kept per word, before those by similarity. */
  neighbours: number;
}

export interface StatementInput {
  tokens: string[];
  /** Exact and prefix tsqueries of the tokens (no corrections): the match tiers. */
  terms: QueryTerms | null;
  filters: SearchFilters;
  blocked: string[];
  after: SortKey | null;
  limit: number;
  withFacets: boolean;
  corrections: CorrectionSettings;
  /** Matches read before a query counts as broad (its page from broad-page.ts, facets from a sample). */
  matchCap: number;
  /** A token that is a prefix of at most this many indexed words is searched as those words (0: never). */
  prefixExpansion: number;
  /**
   * Every token's lexicon lookups, remembered from an earlier statement (lexicon-memo.ts): the statement then
   * makes none (the caller checks the generation it answers). Null: the statement looks the words up.
   */
  known?: Map<string, WordLookup> | null;
}

export const HIT_COLUMNS = `d.id, d.type, d.source_id, d.title, d.body, d.path, d.channel_id, d.owner_id, d.category,
  d.tags, d.language, d.live, d.viewers, d.followers, d.views, d.duration_s, d.published_at, d.popularity`;

/** A tsquery lexeme from a lexicon word, quoted and escaped in SQL (lexicon words are letters and digits anyway). */
const QUOTED = (expr: string) => `'''' || replace(replace(${expr}, '\\', '\\\\'), '''', '''''') || ''''`;

export class Binds {
  readonly values: unknown[] = [];
  add(value: unknown, cast = ""): string {
    this.values.push(value);
    return `$${this.values.length}${cast}`;
  }
}

/** Filters other than the type (the type facet counts every type). */
export function filterSql(b: Binds, f: SearchFilters, blocked: string[]): string[] {
  const parts: string[] = [];
  if (f.category) parts.push(`d.category_key = ${b.add(fold(f.category).trim())}`);
  const tags = (f.tags ?? "")
    .split(",")
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
  if (tags.length > 0)
    parts.push(
      `EXISTS (SELECT 1 FROM jsonb_array_elements_text(d.tags) t WHERE lower(t) = ANY(${b.add(tags, "::text[]")}))`,
    );
  if (f.language) parts.push(`d.language = ${b.add(f.language)}`);
  if (f.live !== undefined) parts.push(`d.live = ${b.add(f.live, "::boolean")}`);
  if (f.minDurationS !== undefined) parts.push(`d.duration_s >= ${b.add(f.minDurationS, "::int")}`);
  if (f.maxDurationS !== undefined) parts.push(`d.duration_s <= ${b.add(f.maxDurationS, "::int")}`);
  if (f.since) parts.push(`d.published_at >= ${b.add(f.since, "::timestamptz")}`);
  if (f.until) parts.push(`d.published_at < ${b.add(f.until, "::timestamptz")}`);
  if (blocked.length > 0) parts.push(`(d.owner_id IS NULL OR d.owner_id <> ALL(${b.add(blocked, "::text[]")}))`);
  parts.push(NOT_SUSPENDED_OWNER);
  return parts;
}

/** Column expressions of a ranked row: a cursor compares them. */
export interface RankColumns {
  tier: string;
  live: string;
  popularity: string;
  id: string;
}

export const cols = (alias: string, tier = `${alias}.tier`): RankColumns => ({
  tier,
  live: `${alias}.live`,
  popularity: `${alias}.popularity`,
  id: `${alias}.id`,
});

/** Rows after the cursor; the binds are made once and shared by every branch. */
export function afterSql(b: Binds, after: SortKey | null): (c: RankColumns) => string {
  if (!after) return () => "";
  const [t, l, pop, id] = after;
  const bt = b.add(Number(t), "::int");
  const bl = b.add(Boolean(l), "::boolean");
  const bp = b.add(Number(pop), "::float8");
  const bi = b.add(String(id), "::text");
  return (c) => `AND (${c.tier} < ${bt} OR (${c.tier} = ${bt} AND (${c.live} < ${bl} OR (${c.live} = ${bl} AND
    (${c.popularity} < ${bp} OR (${c.popularity} = ${bp} AND ${c.id} > ${bi}))))))`;
}

/** The match tier of row `d` (search-query.ts: 3 title words whole, 2 title prefixes, 1 anywhere, 0 corrections only). */
export function tierSql(exact: string, prefix: string): string {
  return `CASE WHEN d.title_tsv @@ ${exact} THEN 3 WHEN d.title_tsv @@ ${prefix} THEN 2
                 WHEN d.tsv @@ ${prefix} THEN 1 ELSE 0 END`;
}

/**
 * Lexicon words at trigram similarity `sim` or more to token `t` (kind 2), the `per` most similar. Candidates through
 * the lexicon's trigram GIN index (`%`, pg_trgm.similarity_threshold, 0.3 by default); a threshold set above ours
 * would lose some: then every word is scored. The threshold is read once (a one-time filter), one branch runs.
 */
function similarSql(t: string, sim: string, per: string): string {
  const threshold = `coalesce(nullif(current_setting('pg_trgm.similarity_threshold', true), '')::float4, 0.3)`;
  return `(SELECT c.term, 2 AS kind, similarity(c.term, ${t}) AS sim FROM terms c
            WHERE ${threshold} <= ${sim} AND c.term % ${t} AND similarity(c.term, ${t}) >= ${sim}
            ORDER BY 3 DESC, 1 LIMIT ${per})
          UNION ALL
          (SELECT c.term, 2 AS kind, similarity(c.term, ${t}) AS sim FROM terms c
            WHERE ${threshold} > ${sim} AND similarity(c.term, ${t}) >= ${sim}
            ORDER BY 3 DESC, 1 LIMIT ${per})`;
}

export function searchStatement(input: StatementInput): { sql: string; binds: unknown[] } {
  const b = new Binds();
  const ctes: string[] = [];
  const where = ["d.visible"];
  let tier = "0";
  const remembered = input.terms && input.tokens.length > 0 && input.known ? input.known : null;
  if (input.terms && remembered) {
    ctes.push(
      `tq AS (SELECT ${b.add(lexiconQuery(input.tokens, remembered, input.prefixExpansion), "::tsquery")} AS full)`,
    );
    where.push("d.tsv @@ (SELECT tq.full FROM tq)");
    tier = tierSql(b.add(input.terms.exact, "::tsquery"), b.add(input.terms.prefix, "::tsquery"));
  } else if (input.terms && input.tokens.length > 0) {
    const { minLength, similarity, perToken } = input.corrections;
    // One row per token, each with its own binds (not a join over an array): the planner sees the
    // token's value and finds corrections through the lexicon's trigram index (migrations/005), not a scan.
    // Binds of the lookup made only when some word is long enough (an unused bind has no type: an error).
    const lookup = input.tokens.some((t) => t.length >= minLength)
      ? {
          sim: b.add(similarity, "::float4"),
          per: b.add(perToken, "::int"),
          near: b.add(input.corrections.neighbours, "::int"),
        }
      : null;
    const expand = b.add(input.prefixExpansion, "::int");
    const rows = input.tokens.map((token, i) => {
      const t = b.add(token, "::text");
      // Short words are never corrected (too few trigrams, too many neighbours); a word some indexed word starts
      // with neither. The lexicon words one edit away come first (migrations/008), then those by similarity.
      const alts =
        !lookup || token.length < minLength
          ? "ARRAY[]::text[]"
          : `CASE WHEN EXISTS (SELECT 1 FROM terms p WHERE p.term >= ${t} AND p.term < ${t} || chr(1114111))
               THEN ARRAY[]::text[]
               ELSE ARRAY(SELECT a.term FROM (
                      SELECT DISTINCT ON (x.term) x.term, x.kind, x.sim FROM (
                        (SELECT n.neighbour AS term, 1 AS kind, n.closeness AS sim
                           FROM term_neighbours(${t}, ${lookup.near}) n)
                        UNION ALL
                        ${similarSql(t, lookup.sim, lookup.per)}) x
                       ORDER BY x.term, x.kind) a
                     ORDER BY a.kind, a.sim DESC, a.term) END`;
      // The indexed words the token is a prefix of, when there are few (a prefix search's cost, not its meaning).
      const words = `ARRAY(SELECT w.word FROM words w WHERE w.word >= ${t} AND w.word < ${t} || chr(1114111)
                            ORDER BY w.word LIMIT ${expand} + 1)`;
      // The token's own alternative ('tok':*) is built in code from a letters-and-digits token.
      return `SELECT ${i + 1} AS ord, ${t} AS token, ${b.add(prefixLexeme(token), "::text")} AS own, ${alts} AS alts,
                     ${words} AS words`;
    });
    ctes.push(`q AS (${rows.join("\n      UNION ALL ")})`);
    // A token stands for its prefix expansion ('spee' → ('speed' | 'speedrun')) when it has at most
    // `expand` words (GIN intersects whole words' posting lists; a prefix collects a bitmap first), else
    // for the prefix itself; its corrections are alternatives either way.
    const expanded = `cardinality(q.words) BETWEEN 1 AND ${expand}`;
    ctes.push(`tq AS (
      SELECT string_agg('(' || array_to_string(
               CASE WHEN ${expanded} THEN ARRAY(SELECT ${QUOTED("w")} FROM unnest(q.words) w) ELSE ARRAY[q.own] END
                 || ARRAY(SELECT ${QUOTED("a")} FROM unnest(q.alts) a), ' | ') || ')',
             ' & ' ORDER BY q.ord)::tsquery AS full
        FROM q)`);
    where.push("d.tsv @@ (SELECT tq.full FROM tq)");
    tier = tierSql(b.add(input.terms.exact, "::tsquery"), b.add(input.terms.prefix, "::tsquery"));
  }
  where.push(...filterSql(b, input.filters, input.blocked));
  const cap = b.add(input.matchCap, "::int");
  const typeBind = input.filters.type ? b.add(input.filters.type) : null;
  const inType = typeBind ? `m.type = ${typeBind}` : "true";
  // At most matchCap + 1 matches are read, in index order (which is table order); more means a broad query,
  // whose page broad-page.ts finds with a second statement.
  ctes.push(`m AS MATERIALIZED (
      SELECT d.id, d.type, d.category, d.language, d.live, d.popularity, ${tier} AS tier,
             (d.ctid::text::point)[0]::int AS blk
        FROM documents d WHERE ${where.join(" AND ")} LIMIT ${cap} + 1)`);
  // The sample: how far into the table it reaches, and per tier t how many of its matches of the type asked
  // are of tier t or better (what tier t's indexed superset holds).
  ctes.push(`mn AS MATERIALIZED (
      SELECT count(*)::int AS n, max(m.blk) AS blk, count(*) > ${cap} AS broad,
             (pg_relation_size('documents'::regclass) / current_setting('block_size')::int)::int AS blocks,
             (SELECT greatest(c.reltuples, 1) FROM pg_class c WHERE c.oid = 'documents'::regclass)::float8 AS docs,
             count(*) FILTER (WHERE m.tier >= 3 AND ${inType})::int AS s3,
             count(*) FILTER (WHERE m.tier >= 2 AND ${inType})::int AS s2,
             count(*) FILTER (WHERE m.tier >= 1 AND ${inType})::int AS s1
        FROM m)`);
  ctes.push(`top AS (
      SELECT m.id, m.tier FROM m WHERE NOT (SELECT mn.broad FROM mn) ${typeBind ? `AND ${inType}` : ""}
             ${afterSql(b, input.after)(cols("m"))}
       ORDER BY m.tier DESC, m.live DESC, m.popularity DESC, m.id LIMIT ${b.add(input.limit + 1, "::int")})`);
  let facets = "NULL::json";
  if (input.withFacets) {
    // One pass over the matches read, four counts (GROUPING SETS): the type facet counts every type (so a
    // client can show tabs); the others count the chosen type only. Of a broad query, m is a sample.
    ctes.push(`f AS (
      SELECT CASE WHEN GROUPING(m.type) = 0 THEN 'type' WHEN GROUPING(m.category) = 0 THEN 'category'
                  WHEN GROUPING(m.language) = 0 THEN 'language' ELSE 'live' END AS facet,
             COALESCE(m.type, m.category, m.language) AS value,
             CASE WHEN GROUPING(m.type) = 0 THEN count(*) ELSE count(*) FILTER (WHERE ${inType}) END::int AS n,
             count(*) FILTER (WHERE ${inType} AND m.live)::int AS live
        FROM m GROUP BY GROUPING SETS ((m.type), (m.category), (m.language), ()))`);
    facets = `(SELECT coalesce(json_agg(f), '[]'::json) FROM f)`;
  }
  const withTerms = input.tokens.length > 0 && input.terms;
  const lookedUp = withTerms && !remembered;
  // What the lexicon said, for the caller to remember (lexicon-memo.ts), and the version it said it under (the sum
  // of the lexicon's counters, migrations/007).
  const corrections = lookedUp
    ? `(SELECT json_object_agg(q.token, q.alts) FROM q WHERE cardinality(q.alts) > 0)`
    : "NULL::json";
  const lookups = lookedUp
    ? `(SELECT json_agg(json_build_array(q.token, q.alts, q.words) ORDER BY q.ord) FROM q)`
    : "NULL::json";
  const sql = `WITH ${ctes.join(",\n")}
    SELECT
      (SELECT coalesce(json_agg(r ORDER BY r.tier DESC, r.live DESC, r.popularity DESC, r.id), '[]'::json)
         FROM (SELECT ${HIT_COLUMNS}, top.tier FROM top JOIN documents d ON d.id = top.id) r) AS items,
      ${facets} AS facets,
      (SELECT row_to_json(mn) FROM mn) AS sample,
      ${withTerms ? "(SELECT tq.full::text FROM tq)" : "NULL::text"} AS full,
      ${corrections} AS corrections,
      ${lookups} AS lookups,
      (SELECT sum(l.generation)::text FROM lexicon l) AS lexicon`;
  return { sql, binds: b.values };
}
