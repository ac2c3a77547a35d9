import Redis from "ioredis";
import type { RateLimitStore, WindowHit } from "./rate-limit-store";

// INCR and the expiry must be atomic, or a crash between them leaves a key that never expires.
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}
`;

/** Shared counters so limits hold across every gateway node. */
export class RedisRateLimitStore implements RateLimitStore {
  private readonly redis: Redis;

  constructor(
    url: string,
    private readonly prefix: string,
  ) {
    // One retry then fail: while Redis is down the gateway decides (it fails open) instead of hanging requests.
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2000 });
    this.redis.on("error", () => undefined);
  }

  async hit(key: string, windowMs: number): Promise<WindowHit> {
    const [count, ttl] = (await this.redis.eval(HIT_SCRIPT, 1, `${this.prefix}:${key}`, String(windowMs))) as [
      number,
      number,
    ];
    return { count, resetAt: Date.now() + ttl };
  }

  async close(): Promise<void> {
    // Counters are written by the time a hit resolves; nothing to flush, and quit() can hang while Redis is down.
    this.redis.disconnect();
  }
}
