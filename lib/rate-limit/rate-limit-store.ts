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

/** One counter of a request, with the budget that ends the sequence (see `hitUntilOver`). */
export interface CounterHit {
  key: string;
  windowMs: number;
  limit: number;
}

export interface RateLimitStore {
  hit(key: string, windowMs: number): Promise<WindowHit>;
  /**
   * Counts `hits` in order, as consecutive `hit` calls would, stopping after
   * the first one past its limit (the counters after it are not touched):
   * one round trip for the several limits of one request. Answers one
   * WindowHit per counter touched.
   */
  hitUntilOver?(hits: CounterHit[]): Promise<WindowHit[]>;
  /** Waits (bounded) until the store can count; false when it could not connect in time. */
  ready?(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

/** A store that can count a hit without waiting (memory; a leased store while its lease lasts). */
export interface LocalHits {
  /** The hit, or undefined when only the shared store can answer (count it through `hitUntilOver` then). */
  takeNow(counter: CounterHit): WindowHit | undefined;
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
  return decide(await store.hit(key, windowMs), limit, now);
}

/** The verdict on one counted hit. */
export function decide({ count, resetAt }: WindowHit, limit: number, now = Date.now()): LimitDecision {
  return {
    allowed: count <= limit,
    limit,
    remaining: Math.max(0, limit - count),
    resetAt,
    retryAfterS: Math.max(1, Math.ceil((resetAt - now) / 1000)),
  };
}
