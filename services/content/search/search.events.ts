/**
 * Plain signal from the search node that invalidated the result cache (a
 * document left or joined the results): every other search node drops the
 * results it keeps in process (local-result-cache.ts). Redis was bumped by
 * the sender.
 */
export interface SearchCacheInvalidated {
  nodeId: string;
}

declare module "../../../lib/contracts/events" {
  interface PlainEventMap {
    "search.cache.invalidated": SearchCacheInvalidated;
  }
}
