import { BoundedRedis } from "../redis/bounded-redis";
import type { RateLimitStore, WindowHit } from "./rate-limit-store";

// INCR and the expiry must be atomic, or a crash between them leaves a key that never expires.
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}
`;

export interface RedisRateLimitStoreOptions {
  commandTimeoutMs: number;
  logger?: { warn(...args: unknown[]): void; info(...args: unknown[]): void };
}

/**
 * Shared counters so limits hold across every gateway node. Every hit is
 * bounded (see lib/redis): while Redis is down a hit rejects at once and the
 * gateway fails open.
 */
export class RedisRateLimitStore implements RateLimitStore {
  private readonly redis: BoundedRedis;

  constructor(
    url: string,
    private readonly prefix: string,
    options: RedisRateLimitStoreOptions = { commandTimeoutMs: 250 },
  ) {
    this.redis = new BoundedRedis(url, { name: "rate-limit", ...options });
  }

  async ready(timeoutMs: number): Promise<boolean> {
    return this.redis.connected(timeoutMs);
  }

  async hit(key: string, windowMs: number): Promise<WindowHit> {
    const [count, ttl] = (await this.redis.run((r) =>
      r.eval(HIT_SCRIPT, 1, `${this.prefix}:${key}`, String(windowMs)),
    )) as [number, number];
    return { count, resetAt: Date.now() + ttl };
  }

  async close(): Promise<void> {
    this.redis.close();
  }
}
