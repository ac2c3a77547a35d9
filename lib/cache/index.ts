export { BoundedTtlCache, type BoundedTtlCacheOptions } from "./bounded-ttl-cache";
