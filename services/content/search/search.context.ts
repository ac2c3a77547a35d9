import type { Service } from "moleculer";
import type { ArenaContext } from "../../../lib/contracts";
import type { DbHandle, EntityStore } from "../../../mixins/db";
import type { DurableEventsMethods } from "../../../mixins/durable-events";
import type { HiddenOwnersCache } from "./block-cache";
import type { LexiconMemo } from "./lexicon-memo";
import type { ResultCache } from "./result-cache";
import type { DocType } from "./search-doc";
import type { SearchResult, SuggestResult } from "./search-result";
import type { IndexedDoc } from "./search.entities";

export type ReindexType = Exclude<DocType, "stream">;

export interface ReindexResult {
  /** Documents read per type. */
  read: Partial<Record<ReindexType, number>>;
  /** Documents hidden because their service no longer lists them. */
  hidden: number;
  startedAt: string;
  tookMs: number;
}

export interface SearchSettings {
  /** Longest query accepted (characters); longer ones get a 400. */
  maxQueryLength: number;
  /** Spelling corrections tried per query word that matched nothing as a prefix. */
  correctionsPerToken: number;
  /**
   * Lexicon words one edit away (a letter substituted, added, dropped, or two adjacent swapped) tried per query
   * word of 4+ letters that matched nothing as a prefix, before those by similarity (migrations/008).
   */
  neighboursPerToken: number;
  /** Least trigram similarity for a lexicon word to count as a correction (pg_trgm similarity, 0..1). */
  correctionSimilarity: number;
  /**
   * Matches a query reads before it counts as broad: a broad query's page is found tier by tier in rank
   * order (still exact) and its facets are extrapolated from this many matches (flagged `estimated`).
   */
  matchCap: number;
  /**
   * A broad query's tier is walked in rank order when reading its indexed superset would cost more than
   * walking: a walk's row costs this many superset rows (measured 2-4 on the 100k bench corpus).
   */
  walkRowCost: number;
  /**
   * A query word that starts at most this many indexed words is searched as those words (the same matches as
   * the prefix, found 3x cheaper by the GIN index); more, and it is searched as a prefix. 0: always a prefix.
   */
  prefixExpansion: number;
  /** Cached results live at most this long (ms); a document leaving the results drops the cache at once. */
  cacheTtlMs: number;
  /**
   * With Redis, results are also kept in process this long (ms; at most cacheTtlMs), so hot queries skip
   * the Redis round trip; an invalidation on any node clears every node's (broadcast), the TTL bounds a lost one.
   */
  localCacheTtlMs: number;
  /** Query words whose lexicon lookups each node remembers (lexicon-memo.ts). */
  lexiconMemoEntries: number;
  /** Results kept in process per node (least recently used dropped first). */
  localCacheEntries: number;
  /** Documents per reindex page (one list call and one write per page). */
  reindexPageSize: number;
  /** A searcher's block relations are reused this long (ms); a block or unblock drops them at once. */
  blockCacheTtlMs: number;
}

export interface SearchStores {
  documents: EntityStore<IndexedDoc>;
}

/** What the result cache keeps: answers of search.query and search.suggest (search-actions.ts keys them apart). */
export type SearchAnswer = SearchResult | SuggestResult;

/** `this` inside the search service. */
export interface SearchThis extends Service<SearchSettings>, DurableEventsMethods {
  stores: SearchStores;
  db: DbHandle;
  /** Cache of frequent searches and suggestions (REDIS_URL: in process, then Redis), or a no-op. */
  cache: ResultCache<SearchAnswer>;
  /** Query words' lexicon lookups under the current lexicon generation (lexicon-memo.ts). */
  lexiconMemo: LexiconMemo;
  /** Owners hidden from each signed-in searcher (blocks), kept per user for a few seconds. */
  hiddenOwners: HiddenOwnersCache;
  /** The reindex running on this node, if any. */
  reindexing: Promise<ReindexResult> | null;
}

/** The context of a search action (lib/contracts: the one Arena context type). */
export type SearchContext<P = unknown> = ArenaContext<P>;
