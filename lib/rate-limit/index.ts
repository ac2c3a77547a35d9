import type { ArenaConfig } from "../config";
import { MemoryRateLimitStore } from "./memory-store";
import { RedisRateLimitStore, type RedisRateLimitStoreOptions } from "./redis-store";
import { LeasedRateLimitStore } from "./leased-store";
import type { RateLimitStore } from "./rate-limit-store";

export * from "./rate-limit-store";
export { MemoryRateLimitStore } from "./memory-store";
export { RedisRateLimitStore } from "./redis-store";
export { LeasedRateLimitStore } from "./leased-store";

/**
 * Redis when REDIS_URL is set (limits shared by every gateway node), memory otherwise.
 * `leased`: the gateway's per-request limits take runs of hits from Redis at once (leased-store.ts).
 */
export function createRateLimitStore(
  config: ArenaConfig,
  prefix = `${config.namespace}:ratelimit`,
  logger?: RedisRateLimitStoreOptions["logger"],
  options: { leased?: boolean } = {},
): RateLimitStore {
  if (!config.redisUrl) return new MemoryRateLimitStore();
  const redis = new RedisRateLimitStore(config.redisUrl, prefix, {
    commandTimeoutMs: config.redisCommandTimeoutMs,
    logger,
  });
  return options.leased ? new LeasedRateLimitStore(redis) : redis;
}
