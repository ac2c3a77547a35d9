import type { CounterHit, RateLimitStore, WindowHit } from "./rate-limit-store";

/** Single-node counters; windows are swept lazily so memory stays bounded by active clients. */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly windows = new Map<string, WindowHit>();
  private lastSweep = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async hit(key: string, windowMs: number): Promise<WindowHit> {
    return this.hitNow(key, windowMs);
  }

  async hitUntilOver(hits: CounterHit[]): Promise<WindowHit[]> {
    const out: WindowHit[] = [];
    for (const h of hits) {
      const hit = this.hitNow(h.key, h.windowMs);
      out.push(hit);
      if (hit.count > h.limit) break;
    }
    return out;
  }

  /** `count` hits at once (the lease of leased-store.ts; with one node there is nothing to save, but tests share it). */
  async reserve(key: string, count: number, windowMs: number): Promise<WindowHit> {
    const hit = this.hitNow(key, windowMs);
    const window = this.windows.get(key) as WindowHit;
    window.count += count - 1;
    return { count: hit.count + count - 1, resetAt: hit.resetAt };
  }

  /** A hit answered at once (the same call as LeasedRateLimitStore's; a memory store always can). */
  takeNow(counter: CounterHit): WindowHit {
    return this.hitNow(counter.key, counter.windowMs);
  }

  /** `hit` without the promise: the gateway's fast path counts a cached answer in the same window (fast-path.ts). */
  hitNow(key: string, windowMs: number): WindowHit {
    const now = this.now();
    this.sweep(now, windowMs);
    const current = this.windows.get(key);
    if (!current || current.resetAt <= now) {
      const fresh = { count: 1, resetAt: now + windowMs };
      this.windows.set(key, fresh);
      return { ...fresh };
    }
    current.count += 1;
    return { ...current };
  }

  async close(): Promise<void> {
    this.windows.clear();
  }

  private sweep(now: number, windowMs: number): void {
    if (now - this.lastSweep < windowMs) return;
    this.lastSweep = now;
    for (const [key, w] of this.windows) if (w.resetAt <= now) this.windows.delete(key);
  }
}
