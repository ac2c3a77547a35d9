/** What GET /search answers (search-query.ts builds it; caches keep it). */
import type { CursorPage } from "../../../lib/pagination";
import type { TextMatch } from "./highlight";
import type { DocType } from "./search-doc";

export interface SearchHit {
  type: DocType;
  id: string;
  title: string;
  /** A window of the description/summary, plain text. */
  snippet: string | null;
  /** Matched ranges (UTF-16 offsets) of `title` and `snippet`. */
  highlights: { title: TextMatch[]; snippet: TextMatch[] };
  path: string | null;
  channelId: string | null;
  ownerId: string | null;
  category: string | null;
  tags: string[];
  language: string | null;
  live: boolean;
  viewers: number;
  followers: number;
  views: number;
  durationS: number | null;
  publishedAt: string | null;
  /** Match tier (3 best, 0 through a spelling correction only). */
  tier: number;
}

export interface FacetCount {
  value: string;
  count: number;
}

export interface SearchFacets {
  type: FacetCount[];
  category: FacetCount[];
  language: FacetCount[];
  live: number;
  /** Documents matching (every type; the `type` facet's sum). */
  total: number;
  /**
   * True for a broad query (more matches than the service's `matchCap`): the counts and `total` are
   * extrapolated from the first matches in table order, not counted. The ranked items are exact either way.
   */
  estimated: boolean;
}

export interface SearchResult extends CursorPage<SearchHit> {
  /** First page only (null on later pages): counts of the whole result set (the type facet ignores `type`). */
  facets: SearchFacets | null;
  /** Query words that matched nothing and the words searched instead. */
  corrections: Record<string, string[]>;
}

/** What GET /search/suggest answers (suggest-trending.ts builds it; caches keep it). */
export interface SuggestResult {
  /** Documents whose title has every word as a prefix: live first, then by popularity. */
  items: SearchHit[];
  /** Indexed words that complete the last word typed. */
  completions: string[];
}
