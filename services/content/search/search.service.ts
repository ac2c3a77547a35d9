/**
 * search: one index over every public channel, live stream, video, person,
 * tournament and post, fed only by the owning services' durable events
 * (index-consumers.ts), queried with PostgreSQL full-text search and pg_trgm
 * spelling corrections (the same SQL on PGlite), frequent queries cached in
 * Redis. docs/search.md: ranking, consistency, operations.
 */
import type { Service, ServiceSchema } from "moleculer";
import { getConfig } from "../../../lib/config";
import { broadcastEvent, onEvent, type ServiceActions } from "../../../lib/contracts";
import { DbMixin } from "../../../mixins/db";
import { DurableEventsMixin } from "../../../mixins/durable-events";
import { HiddenOwnersCache } from "./block-cache";
import { hiddenOwners } from "./blocked-owners";
import { indexChanges, indexEventHandlers, ViewerSamples } from "./index-consumers";
import { ownerSuspensionHandlers } from "./suspended-owners";
import { reindex, type ReindexType } from "./reindex";
import { LexiconMemo } from "./lexicon-memo";
import { LocalResultCache } from "./local-result-cache";
import { NoResultCache, RedisResultCache } from "./result-cache";
import { cachedSearch, cachedSuggest } from "./search-actions";
import type { SuggestParams, TrendingParams } from "./suggest-trending";
import { trending } from "./suggest-trending";
import type { SearchContext, SearchSettings, SearchThis } from "./search.context";
import { SEARCH_DB } from "./search.entities";
import * as P from "./search.params";
import type { SearchParams } from "./search-query";
import "./search.contract";
import "./search.events";
import "../../edge/realtime/realtime.events";
import "../../core/users/users.events";

export type { SearchSettings, SearchThis } from "./search.context";

type Ctx<T> = SearchContext<T>;

/** Viewer samples waiting for one write, per node. */
const samplesOf = new WeakMap<SearchThis, ViewerSamples>();

const SearchService: ServiceSchema<SearchSettings> = {
  name: "search",
  mixins: [DbMixin(SEARCH_DB), DurableEventsMixin()],

  settings: {
    maxQueryLength: P.MAX_QUERY_LENGTH,
    correctionsPerToken: 3,
    neighboursPerToken: 8,
    correctionSimilarity: 0.35,
    matchCap: 1_000,
    walkRowCost: 3,
    prefixExpansion: 16,
    lexiconMemoEntries: 10_000,
    cacheTtlMs: 2_000,
    localCacheTtlMs: 500,
    localCacheEntries: 500,
    reindexPageSize: 100,
    blockCacheTtlMs: 10_000,
  },

  actions: {
    /** Ranked results across types, filters, facets, highlights; cursor pages. */
    query: {
      params: P.SEARCH,
      handler: async (ctx: Ctx<SearchParams>) => cachedSearch(svcOf(ctx), ctx.params, await hiddenOwners(ctx)),
    },
    /** Autocomplete from the prefix indexes (cached like query). */
    suggest: {
      params: P.SUGGEST,
      handler: async (ctx: Ctx<SuggestParams>) => cachedSuggest(svcOf(ctx), ctx.params, await hiddenOwners(ctx)),
    },
    /** Live now by viewers, recent videos by views, per category. */
    trending: {
      params: P.TRENDING,
      handler: async (ctx: Ctx<TrendingParams>) => trending(svcOf(ctx), ctx.params, await hiddenOwners(ctx)),
    },
    /** Internal: rebuild the index from the owning services (no downtime; one run per node at a time). */
    reindex: {
      params: P.REINDEX,
      timeout: 60 * 60_000,
      handler(ctx: Ctx<{ types?: ReindexType[] }>) {
        const svc = svcOf(ctx);
        const running = svc.reindexing ?? reindex(svc, ctx.params.types).finally(() => (svc.reindexing = null));
        svc.reindexing = running;
        return running;
      },
    },
  } satisfies ServiceActions<"search", SearchThis>,

  events: {
    ...onEvent("stream.viewers.sampled", function (this: SearchThis, payload) {
      samplesOf.get(this)?.add(payload.channelId, payload.viewerCount, Date.parse(payload.at) || Date.now());
    }),
    ...onEvent("users.blocks.changed", function (this: SearchThis, payload) {
      this.hiddenOwners.drop(payload.userIds);
    }),
    ...onEvent("search.cache.invalidated", function (this: SearchThis, payload) {
      if (payload.nodeId !== this.broker.nodeID) this.cache.clearLocal();
    }),
  },

  channels: { ...indexEventHandlers, ...ownerSuspensionHandlers },

  created(this: Service<SearchSettings>) {
    const svc = this as SearchThis;
    const config = getConfig();
    svc.reindexing = null;
    svc.hiddenOwners = new HiddenOwnersCache(svc.settings.blockCacheTtlMs);
    svc.lexiconMemo = new LexiconMemo(svc.settings.lexiconMemoEntries);
    const ttl = config.search?.cacheTtlMs ?? svc.settings.cacheTtlMs;
    // Hot queries answer from this process for a moment, in front of Redis (local-result-cache.ts).
    svc.cache = config.redisUrl
      ? new LocalResultCache(
          new RedisResultCache(config.redisUrl, `${config.namespace}:search`, ttl, {
            commandTimeoutMs: config.redisCommandTimeoutMs,
            logger: svc.logger,
          }),
          Math.min(svc.settings.localCacheTtlMs, ttl),
          svc.settings.localCacheEntries,
          () => broadcastEvent(svc.broker, "search.cache.invalidated", { nodeId: svc.broker.nodeID }),
        )
      : new NoResultCache();
    samplesOf.set(
      svc,
      new ViewerSamples(
        1_000,
        (changes) => indexChanges(svc, changes),
        (err) => svc.logger.warn(`Viewer counts not indexed: ${(err as Error).message}`),
      ),
    );
  },

  async stopped(this: Service<SearchSettings>) {
    const svc = this as SearchThis;
    await samplesOf.get(svc)?.flush();
    svc.cache.close();
  },
};

function svcOf(ctx: SearchContext<unknown>): SearchThis {
  return ctx.service as unknown as SearchThis;
}

export default SearchService;
