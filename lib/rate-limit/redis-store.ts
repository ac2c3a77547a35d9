import { BoundedRedis } from "../redis/bounded-redis";
import type { CounterHit, RateLimitStore, WindowHit } from "./rate-limit-store";

// INCR and the expiry must be atomic, or a crash between them leaves a key that never expires.
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}
`;

// HIT_SCRIPT for a run of hits at once (a lease, see leased-store.ts).
const RESERVE_SCRIPT = `
local count = redis.call('INCRBY', KEYS[1], ARGV[2])
if count == tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}
`;

// HIT_SCRIPT over several keys (ARGV: window and limit per key), stopping after the first one past its limit.
const HIT_UNTIL_OVER_SCRIPT = `
local out = {}
for i = 1, #KEYS do
  local window = ARGV[i * 2 - 1]
  local count = redis.call('INCR', KEYS[i])
  if count == 1 then redis.call('PEXPIRE', KEYS[i], window) end
  local ttl = redis.call('PTTL', KEYS[i])
  if ttl < 0 then redis.call('PEXPIRE', KEYS[i], window); ttl = tonumber(window) end
  out[#out + 1] = count
  out[#out + 1] = ttl
  if count > tonumber(ARGV[i * 2]) then break end
end
return out
`;

/** ioredis runs a defined command with EVALSHA (the script is sent once, not on every hit). */
interface HitCommands {
  arenaRateHit(key: string, windowMs: string): Promise<[number, number]>;
  arenaRateReserve(key: string, windowMs: string, count: string): Promise<[number, number]>;
  arenaRateHitUntilOver(numKeys: number, ...keysAndArgs: string[]): Promise<number[]>;
}

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
    this.redis.client.defineCommand("arenaRateHit", { numberOfKeys: 1, lua: HIT_SCRIPT });
    this.redis.client.defineCommand("arenaRateReserve", { numberOfKeys: 1, lua: RESERVE_SCRIPT });
    this.redis.client.defineCommand("arenaRateHitUntilOver", { lua: HIT_UNTIL_OVER_SCRIPT });
  }

  async ready(timeoutMs: number): Promise<boolean> {
    return this.redis.connected(timeoutMs);
  }

  async hit(key: string, windowMs: number): Promise<WindowHit> {
    const [count, ttl] = await this.redis.run((r) =>
      (r as unknown as HitCommands).arenaRateHit(`${this.prefix}:${key}`, String(windowMs)),
    );
    return { count, resetAt: Date.now() + ttl };
  }

  async reserve(key: string, count: number, windowMs: number): Promise<WindowHit> {
    const [total, ttl] = await this.redis.run((r) =>
      (r as unknown as HitCommands).arenaRateReserve(`${this.prefix}:${key}`, String(windowMs), String(count)),
    );
    return { count: total, resetAt: Date.now() + ttl };
  }

  async hitUntilOver(hits: CounterHit[]): Promise<WindowHit[]> {
    const keys = hits.map((h) => `${this.prefix}:${h.key}`);
    const args = hits.flatMap((h) => [String(h.windowMs), String(h.limit)]);
    const flat = await this.redis.run((r) =>
      (r as unknown as HitCommands).arenaRateHitUntilOver(keys.length, ...keys, ...args),
    );
    const now = Date.now();
    const out: WindowHit[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2)
      out.push({ count: flat[i] as number, resetAt: now + (flat[i + 1] as number) });
    return out;
  }

  async close(): Promise<void> {
    this.redis.close();
  }
}
