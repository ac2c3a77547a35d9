/**
 * GET /search through the result cache: the answer depends on the params and
 * on the owners hidden from the caller (blocks), so one entry serves every
 * caller with the same hidden set (every anonymous caller, most signed-in ones).
 */
import { RedisResultCache } from "./result-cache";
import { runSearch, type SearchParams, type SearchResult } from "./search-query";
import type { SearchThis } from "./search.context";

export async function cachedSearch(svc: SearchThis, params: SearchParams, hidden: string[]): Promise<SearchResult> {
  const key = RedisResultCache.keyOf(hidden.length > 0 ? { params, hidden } : params);
  const hit = await svc.cache.get(key);
  if (hit.value !== null) return hit.value;
  const result = await runSearch(svc, params, hidden);
  await svc.cache.set(key, hit.generation, result);
  return result;
}
