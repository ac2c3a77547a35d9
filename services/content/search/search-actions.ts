/**
 * GET /search and GET /search/suggest through the result cache: an answer
 * depends on the params and on the owners hidden from the caller (blocks), so
 * one entry serves every caller with the same hidden set (every anonymous
 * caller, most signed-in ones). Both actions share the cache and its
 * invalidation (a document leaving or joining the results drops every entry
 * at once; an edit of a visible document shows within the TTL); their keys
 * never meet (a suggest key is prefixed).
 */
import { RedisResultCache } from "./result-cache";
import { runSearch, type SearchParams, type SearchResult } from "./search-query";
import type { SearchAnswer, SearchThis } from "./search.context";
import { suggest, type SuggestParams, type SuggestResult } from "./suggest-trending";

const keyOf = (params: object, hidden: string[]) =>
  RedisResultCache.keyOf(hidden.length > 0 ? { params, hidden } : params);

async function cached<V extends SearchAnswer>(svc: SearchThis, key: string, compute: () => Promise<V>): Promise<V> {
  const hit = await svc.cache.get(key);
  // The key names the action, so an entry is always the answer of the action asking.
  if (hit.value !== null) return hit.value as V;
  const result = await compute();
  await svc.cache.set(key, hit.generation, result);
  return result;
}

export function cachedSearch(svc: SearchThis, params: SearchParams, hidden: string[]): Promise<SearchResult> {
  return cached(svc, keyOf(params, hidden), () => runSearch(svc, params, hidden));
}

/** Autocomplete asks on every keystroke: the same few prefixes again and again, from every visitor. */
export function cachedSuggest(svc: SearchThis, params: SuggestParams, hidden: string[]): Promise<SuggestResult> {
  return cached(svc, `suggest:${keyOf(params, hidden)}`, () => suggest(svc, params, hidden));
}
