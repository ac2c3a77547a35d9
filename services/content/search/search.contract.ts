/**
 * The actions the search service offers, as the gateway and operators call
 * them. Handlers in search.service.ts are checked against these.
 */
import type { ReindexResult, ReindexType } from "./reindex";
import type { SearchParams, SearchResult } from "./search-query";
import type { SuggestParams, SuggestResult, TrendingParams, TrendingResult } from "./suggest-trending";

declare module "../../../lib/contracts/actions" {
  interface ActionMap {
    "search.query": { params: SearchParams; result: SearchResult };
    "search.suggest": { params: SuggestParams; result: SuggestResult };
    "search.trending": { params: TrendingParams; result: TrendingResult };
    /** Internal (operators, REPL `search reindex`): rebuild from the owning services without downtime. */
    "search.reindex": { params: { types?: ReindexType[] }; result: ReindexResult };
  }
}
