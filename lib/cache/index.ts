export { BoundedTtlCache, type BoundedTtlCacheOptions } from "./bounded-ttl-cache";
export { actionCacheKey, cacheKey } from "./cache-key";
