/**
 * Fixed-window counters for the gateway's per-IP and per-user limits.
 * One interface, one file per driver (memory, redis), a factory by config.
 */
export interface WindowHit {
  /** Hits in the current window, this one included. */
  count: number;
  /** Epoch ms when the window ends. */
  resetAt: number;
}

export interface RateLimitStore {
  hit(key: string, windowMs: number): Promise<WindowHit>;
  /** Waits (bounded) until the store can count; false when it could not connect in time. */
  ready?(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

export interface LimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  resetAt: number;
  /** Whole seconds until the window resets (for Retry-After), at least 1. */
  retryAfterS: number;
}

export async function checkLimit(
  store: RateLimitStore,
  key: string,
  limit: number,
  windowMs: number,
  now = Date.now(),
): Promise<LimitDecision> {
  const { count, resetAt } = await store.hit(key, windowMs);
  return {
    allowed: count <= limit,
    limit,
    remaining: Math.max(0, limit - count),
    resetAt,
    retryAfterS: Math.max(1, Math.ceil((resetAt - now) / 1000)),
  };
}
