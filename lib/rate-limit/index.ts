import type { ArenaConfig } from "../config";
import { MemoryRateLimitStore } from "./memory-store";
import { RedisRateLimitStore, type RedisRateLimitStoreOptions } from "./redis-store";
import type { RateLimitStore } from "./rate-limit-store";

export * from "./rate-limit-store";
export { MemoryRateLimitStore } from "./memory-store";
export { RedisRateLimitStore } from "./redis-store";

/** Redis when REDIS_URL is set (limits shared by every gateway node), memory otherwise. */
export function createRateLimitStore(
  config: ArenaConfig,
  prefix = `${config.namespace}:ratelimit`,
  logger?: RedisRateLimitStoreOptions["logger"],
): RateLimitStore {
  return config.redisUrl
    ? new RedisRateLimitStore(config.redisUrl, prefix, { commandTimeoutMs: config.redisCommandTimeoutMs, logger })
    : new MemoryRateLimitStore();
}
