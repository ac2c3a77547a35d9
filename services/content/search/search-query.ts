/**
 * GET /search: one ranked list across every type. Order, in this priority:
 *   1. match tier: 3 every word whole in the title, 2 every word a prefix
 *      of title words, 1 every word (or prefix) anywhere (tags, category,
 *      description), 0 only through a spelling correction;
 *   2. live before offline (for the same tier);
 *   3. popularity (search-doc.ts: viewers now, followers, views);
 *   4. id, so the order is total and cursor pages never repeat or skip.
 * Facet counts (type, category, language, live) come with the first page.
 * Typo tolerance: a query word of 4+ letters that no indexed word starts
 * with ("tuor", "valornt") is looked up in the lexicon of title/tag words:
 * the words one edit away ("tour": migrations/008), then the closest by
 * trigram similarity (pg_trgm, "valorant"), join the query as alternatives
 * (tier 0); words that match as a prefix are left alone, so a correct query
 * is never widened. All of it is one statement (search-statement.ts).
 */
import { ValidationError } from "../../../lib/errors";
import { decodeCursor, encodeCursor } from "../../../lib/pagination";
import { broadPageStatement, extrapolation, planTiers, type MatchSample } from "./broad-page";
import { findMatches, snippet } from "./highlight";
import type { WordLookup } from "./lexicon-memo";
import { buildQueryTerms } from "./query-terms";
import type { DocType } from "./search-doc";
import { searchStatement, type SearchFilters, type SortKey } from "./search-statement";
import type { FacetCount, SearchFacets, SearchHit, SearchResult } from "./search-result";
import type { SearchThis } from "./search.context";
import { queryTokens } from "./text-fold";

export { HIT_COLUMNS, type SearchFilters } from "./search-statement";
export type { FacetCount, SearchFacets, SearchHit, SearchResult } from "./search-result";

/** Shortest word worth correcting: shorter ones have too few trigrams to be told apart. */
export const MIN_CORRECTED_LENGTH = 4;

export interface SearchParams extends SearchFilters {
  q?: string;
  limit?: number;
  cursor?: string;
}

export interface HitRow {
  type: DocType;
  source_id: string;
  title: string;
  body: string;
  path: string | null;
  channel_id: string | null;
  owner_id: string | null;
  category: string | null;
  tags: string[];
  language: string | null;
  live: boolean;
  viewers: number;
  followers: number;
  views: string | number;
  duration_s: number | null;
  published_at: Date | string | null;
  popularity: number;
  id: string;
  tier: number;
}

/** What the statement answers: one row of JSON (node-postgres parses json; a driver that does not gives text). */
interface StatementRow {
  items: HitRow[] | string;
  facets: FacetRow[] | string | null;
  corrections: Record<string, string[]> | string | null;
  sample: MatchSample | string;
  /** The tsquery searched (corrections included), as PostgreSQL prints it. */
  full: string | null;
  /** Each token's lexicon lookups [token, corrections, words it starts], when the statement made them. */
  lookups: Array<[string, string[], string[]]> | string | null;
  /** The lexicon generation the statement read (lexicon-memo.ts). */
  lexicon: string | null;
}

const parsed = <T>(value: T | string): T => (typeof value === "string" ? (JSON.parse(value) as T) : value);

export async function runSearch(svc: SearchThis, p: SearchParams, blocked: string[]): Promise<SearchResult> {
  const limit = p.limit ?? 20;
  const tokens = queryTokens(p.q ?? "");
  const terms = buildQueryTerms(tokens);
  const after = p.cursor ? sortKeyOf(p.cursor) : null;
  const correctionSettings = {
    minLength: MIN_CORRECTED_LENGTH,
    similarity: svc.settings.correctionSimilarity,
    perToken: svc.settings.correctionsPerToken,
    neighbours: svc.settings.neighboursPerToken,
  };
  // What a lookup returns depends on these settings: a memo keeps lookups of one set of them.
  const fingerprint = [
    correctionSettings.similarity,
    correctionSettings.perToken,
    correctionSettings.neighbours,
    svc.settings.prefixExpansion,
  ].join("/");
  const run = async (known: Map<string, WordLookup> | null) => {
    const { sql, binds } = searchStatement({
      tokens,
      terms,
      filters: p,
      blocked,
      after,
      limit,
      withFacets: !after,
      matchCap: svc.settings.matchCap,
      prefixExpansion: svc.settings.prefixExpansion,
      corrections: correctionSettings,
      known,
    });
    const [found] = await svc.db.query<StatementRow>(sql, binds);
    return found;
  };
  const memo = svc.lexiconMemo;
  const remembered = terms ? memo.lookups(tokens, fingerprint) : null;
  let row = await run(remembered?.known ?? null);
  let fromMemo = remembered?.known ?? null;
  if (remembered && row && row.lexicon !== remembered.generation) {
    // The lexicon changed since those lookups: this answer may miss a new word. Ask again, looking up.
    memo.forget();
    row = await run(null);
    fromMemo = null;
  }
  if (row?.lookups && row.lexicon !== null) {
    const found = parsed(row.lookups).map(([token, alts, words]): [string, WordLookup] => [token, { alts, words }]);
    memo.remember(row.lexicon, fingerprint, found);
  }
  const sample = row ? parsed(row.sample) : null;
  const corrections = fromMemo
    ? new Map([...fromMemo].filter(([, l]) => l.alts.length > 0).map(([token, l]) => [token, l.alts]))
    : new Map(Object.entries(row?.corrections ? parsed(row.corrections) : {}));
  let rows = row ? parsed(row.items) : [];
  if (sample?.broad) {
    // Too many matches to rank them all: the page tier by tier, in a second statement (broad-page.ts).
    const plan = planTiers(sample, {
      withTerms: terms !== null,
      corrected: corrections.size > 0,
      afterTier: after ? Number(after[0]) : 3,
      limit,
      matchCap: svc.settings.matchCap,
      walkRowCost: svc.settings.walkRowCost,
    });
    rows = [];
    if (plan.length > 0) {
      const page = broadPageStatement({ terms, full: row?.full ?? null, filters: p, blocked, after, limit, plan });
      const [found] = await svc.db.query<{ items: HitRow[] | string }>(page.sql, page.binds);
      rows = found ? parsed(found.items) : [];
    }
  }
  const hasMore = rows.length > limit;
  const shown = hasMore ? rows.slice(0, limit) : rows;
  const last = shown[shown.length - 1];
  const highlightTerms = buildQueryTerms(tokens, corrections)?.highlight ?? [];
  return {
    items: shown.map((r) => toHit(r, highlightTerms)),
    nextCursor: hasMore && last ? encodeCursor([Number(last.tier), last.live, Number(last.popularity), last.id]) : null,
    facets: after || !sample ? null : toFacets(row?.facets ? parsed(row.facets) : [], sample),
    corrections: Object.fromEntries(corrections),
  };
}

export function toHit(r: HitRow, terms: string[]): SearchHit {
  const body = snippet(r.body, terms);
  return {
    type: r.type,
    id: r.source_id,
    title: r.title,
    snippet: body?.text ?? null,
    highlights: { title: findMatches(r.title, terms), snippet: body?.matches ?? [] },
    path: r.path,
    channelId: r.channel_id,
    ownerId: r.owner_id,
    category: r.category,
    tags: r.tags,
    language: r.language,
    live: r.live,
    viewers: r.viewers,
    followers: r.followers,
    views: Number(r.views),
    durationS: r.duration_s,
    publishedAt: r.published_at === null ? null : new Date(r.published_at).toISOString(),
    tier: Number(r.tier),
  };
}

/** One group of the statement's facet counts; the `live` row (no value) carries the live count. */
interface FacetRow {
  facet: string;
  value: string | null;
  n: number;
  live: number;
}

function toFacets(rows: FacetRow[], sample: MatchSample): SearchFacets {
  const scale = extrapolation(sample);
  const scaled = (n: number) => Math.round(n * scale);
  const pick = (facet: string, max: number): FacetCount[] =>
    rows
      .filter((r) => r.facet === facet && r.value !== null && Number(r.n) > 0)
      .map((r) => ({ value: r.value as string, count: scaled(Number(r.n)) }))
      .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value))
      .slice(0, max);
  return {
    type: pick("type", 10),
    category: pick("category", 20),
    language: pick("language", 20),
    live: scaled(Number(rows.find((r) => r.facet === "live")?.live ?? 0)),
    total: Math.max(Number(sample.n), scaled(Number(sample.n))),
    estimated: sample.broad,
  };
}

/**
 * The rank key a cursor carries (tier, live, popularity, id), as nextCursor wrote it. A key of other types is
 * the client's mistake (400), not a bind PostgreSQL refuses (a tier of "x" or 1.5 cast to int was a 500).
 */
function sortKeyOf(cursor: string): SortKey {
  const [tier, live, popularity, id] = decodeCursor(cursor, 4);
  if (
    Number.isSafeInteger(tier) &&
    typeof live === "boolean" &&
    typeof popularity === "number" &&
    Number.isFinite(popularity) &&
    typeof id === "string"
  )
    return [tier as number, live, popularity, id];
  throw new ValidationError("Invalid cursor", [{ field: "cursor", message: "Pass back a nextCursor value unchanged" }]);
}
