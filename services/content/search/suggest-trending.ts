/**
 * Autocomplete and discovery. Suggestions answer every keystroke from the
 * prefix indexes (titles' GIN index, the lexicon's btree in C collation):
 * no ranking of the whole index, no spelling corrections.
 */
import { blockedWhere } from "./blocked-owners";
import { buildQueryTerms } from "./query-terms";
import { HIT_COLUMNS, toHit, type FacetCount, type HitRow, type SearchHit } from "./search-query";
import type { DocType } from "./search-doc";
import type { SuggestResult } from "./search-result";
import type { SearchThis } from "./search.context";
import { fold, queryTokens } from "./text-fold";

export interface SuggestParams {
  q: string;
  type?: DocType;
  limit?: number;
}

export type { SuggestResult } from "./search-result";

export async function suggest(svc: SearchThis, p: SuggestParams, blocked: string[]): Promise<SuggestResult> {
  const tokens = queryTokens(p.q);
  const terms = buildQueryTerms(tokens);
  const last = tokens[tokens.length - 1];
  if (!terms || !last) return { items: [], completions: [] };
  const limit = p.limit ?? 8;
  const binds: unknown[] = [terms.prefix, p.type ?? null, limit];
  const rows = await svc.db.query<HitRow>(
    `SELECT ${HIT_COLUMNS}, 2 AS tier FROM documents d
      WHERE d.visible AND d.title_tsv @@ $1::tsquery AND ($2::text IS NULL OR d.type = $2) ${blockedWhere(binds, blocked)}
      ORDER BY d.live DESC, d.popularity DESC, d.id LIMIT $3`,
    binds,
  );
  const completions = await svc.db.query<{ term: string }>(
    `SELECT term FROM terms WHERE term >= $1 AND term < $1 || chr(1114111) ORDER BY length(term), term LIMIT $2`,
    [last, Math.min(limit, 8)],
  );
  const prefix = tokens.slice(0, -1).join(" ");
  return {
    items: rows.map((r) => toHit({ ...r, body: "" }, tokens)),
    completions: completions.map((c) => (prefix ? `${prefix} ${c.term}` : c.term)),
  };
}

export interface TrendingParams {
  category?: string;
  limit?: number;
  /** Videos published within this many hours (default 24). */
  windowH?: number;
}

export interface TrendingResult {
  /** Live streams, most viewers first. */
  live: SearchHit[];
  /** Videos published in the window, most views first. */
  videos: SearchHit[];
  /** Categories with live streams now, most streams first. */
  categories: FacetCount[];
}

export async function trending(svc: SearchThis, p: TrendingParams, blocked: string[]): Promise<TrendingResult> {
  const limit = p.limit ?? 12;
  const category = p.category ? fold(p.category).trim() : null;
  const since = new Date(Date.now() - (p.windowH ?? 24) * 3_600_000).toISOString();
  const liveBinds: unknown[] = [category, limit];
  const live = await svc.db.query<HitRow>(
    `SELECT ${HIT_COLUMNS}, 0 AS tier FROM documents d
      WHERE d.visible AND d.type = 'stream' AND d.live AND ($1::text IS NULL OR d.category_key = $1)
            ${blockedWhere(liveBinds, blocked)}
      ORDER BY d.viewers DESC, d.popularity DESC, d.id LIMIT $2`,
    liveBinds,
  );
  const videoBinds: unknown[] = [category, limit, since];
  const videos = await svc.db.query<HitRow>(
    `SELECT ${HIT_COLUMNS}, 0 AS tier FROM documents d
      WHERE d.visible AND d.type = 'video' AND d.published_at >= $3::timestamptz
            AND ($1::text IS NULL OR d.category_key = $1) ${blockedWhere(videoBinds, blocked)}
      ORDER BY d.views DESC, d.published_at DESC, d.id LIMIT $2`,
    videoBinds,
  );
  const categories = await svc.db.query<{ value: string; n: number }>(
    `SELECT min(d.category) AS value, count(*)::int AS n FROM documents d
      WHERE d.visible AND d.type = 'stream' AND d.live AND d.category_key IS NOT NULL
      GROUP BY d.category_key ORDER BY n DESC, value LIMIT 20`,
  );
  return {
    live: live.map((r) => toHit(r, [])),
    videos: videos.map((r) => toHit(r, [])),
    categories: categories.map((c) => ({ value: c.value, count: Number(c.n) })),
  };
}
