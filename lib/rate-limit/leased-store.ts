/**
 * Shared fixed-window limits without a Redis round trip per request.
 *
 * A gateway node reserves a run of a counter's hits from the shared store at
 * once (a lease: INCRBY n, so it owns the hits numbered `end - n + 1 .. end`)
 * and hands them out locally; it goes back to the store only when its run is
 * used up. The first lease of a window is one hit and each next one doubles,
 * up to a twentieth of the budget (at most `maxLease`): a client sending a
 * few requests costs exactly what it uses, a busy one about one round trip per
 * twentieth of its budget, and never waits for one (the next run is asked for
 * while half of the current one is left).
 *
 * What this changes in the guarantee, and why it is safe:
 * - the shared limit is never exceeded: every allowed hit is a number at most
 *   `limit` handed out by the shared counter;
 * - a client spread over several nodes may be refused a little early, by the
 *   hits other nodes reserved and did not use (a node asks for its next run
 *   when half of the current one is left, so at most one and a half runs:
 *   three fortieths of the budget per other node, lost when the window ends);
 *   on one node it is exact;
 * - once a window is known to be spent (the counter passed the limit), the
 *   node answers 429 until the window ends without asking the store again, so
 *   a flood of refused requests costs Redis nothing.
 * Counters are only leased through `hitUntilOver`, which knows the budget;
 * `hit` (other services' low-volume limits) goes to the store every time.
 */
import type { CounterHit, RateLimitStore, WindowHit } from "./rate-limit-store";

/** Reserves `count` hits of `key` in its current window: the counter after the reservation and when it resets. */
export interface LeaseSource {
  reserve(key: string, count: number, windowMs: number): Promise<WindowHit>;
}

interface Lease {
  /** The next hit number this node may hand out. */
  next: number;
  /** The last hit number reserved by this node. */
  end: number;
  /** The size of the last reservation (the next one doubles it). */
  size: number;
  resetAt: number;
  /** A reservation in flight; concurrent requests wait for it instead of reserving again. */
  pending?: Promise<void>;
  /** The next run, reserved while this one still lasted (handed out when this one is used up). */
  queued?: { next: number; end: number };
}

export class LeasedRateLimitStore implements RateLimitStore {
  private readonly leases = new Map<string, Lease>();
  private lastSweep = 0;

  constructor(
    private readonly shared: RateLimitStore & LeaseSource,
    private readonly maxLease = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The largest run of hits leased at once for a budget: a twentieth of it, at least 1. */
  leaseCap(limit: number): number {
    return Math.max(1, Math.min(this.maxLease, Math.floor(limit / 20)));
  }

  hit(key: string, windowMs: number): Promise<WindowHit> {
    return this.shared.hit(key, windowMs);
  }

  async hitUntilOver(hits: CounterHit[]): Promise<WindowHit[]> {
    const out: WindowHit[] = [];
    for (const h of hits) {
      const hit = this.takeNow(h) ?? (await this.take(h));
      out.push(hit);
      if (hit.count > h.limit) break;
    }
    return out;
  }

  /**
   * A hit of `counter` answered from this node's lease, or undefined when the
   * lease is used up and only the store can answer (then call `hitUntilOver`).
   */
  takeNow(counter: CounterHit): WindowHit | undefined {
    const now = this.now();
    const lease = this.leases.get(counter.key);
    if (!lease || lease.resetAt <= now) return undefined;
    if (lease.next > lease.end && lease.queued) {
      lease.next = lease.queued.next;
      lease.end = lease.queued.end;
      lease.queued = undefined;
    }
    if (lease.next <= lease.end) {
      const count = lease.next++;
      // Half the run left: the next one is asked for now, so a busy client never waits for Redis. Not for a
      // budget leased one hit at a time (a small one, e.g. login attempts): that stays exact in Redis too.
      if (
        !lease.pending &&
        !lease.queued &&
        lease.end - lease.next + 1 <= lease.size / 2 &&
        lease.end < counter.limit &&
        this.leaseCap(counter.limit) > 1
      )
        this.prefetch(counter, lease);
      return { count, resetAt: lease.resetAt };
    }
    // The window is spent: every later hit in it is over the limit too.
    if (lease.end >= counter.limit) return { count: lease.end + 1, resetAt: lease.resetAt };
    return undefined;
  }

  async ready(timeoutMs: number): Promise<boolean> {
    return this.shared.ready ? this.shared.ready(timeoutMs) : true;
  }

  async close(): Promise<void> {
    this.leases.clear();
    await this.shared.close();
  }

  private async take(counter: CounterHit): Promise<WindowHit> {
    for (;;) {
      const hit = this.takeNow(counter);
      if (hit) return hit;
      const lease = this.leases.get(counter.key);
      if (lease?.pending && lease.resetAt > this.now()) await lease.pending;
      else await this.renew(counter, lease);
    }
  }

  private renew(counter: CounterHit, current: Lease | undefined): Promise<void> {
    const now = this.now();
    this.sweep(now, counter.windowMs);
    const live = current && current.resetAt > now ? current : undefined;
    const size = live ? Math.min(live.size * 2, this.leaseCap(counter.limit)) : 1;
    const lease: Lease = live ?? { next: 1, end: 0, size, resetAt: now + counter.windowMs };
    const pending = this.shared.reserve(counter.key, size, counter.windowMs).then(
      (reserved) => {
        lease.size = size;
        lease.next = reserved.count - size + 1;
        lease.end = reserved.count;
        lease.resetAt = reserved.resetAt;
        lease.queued = undefined;
        lease.pending = undefined;
      },
      (err: unknown) => {
        // The store is down: forget the lease so the next request asks again (the caller fails open).
        if (this.leases.get(counter.key) === lease) this.leases.delete(counter.key);
        lease.pending = undefined;
        throw err;
      },
    );
    lease.pending = pending;
    this.leases.set(counter.key, lease);
    return pending;
  }

  /** The next run, reserved in the background; a failure leaves the current run (a later request asks again). */
  private prefetch(counter: CounterHit, lease: Lease): void {
    const size = Math.min(lease.size * 2, this.leaseCap(counter.limit));
    lease.pending = this.shared.reserve(counter.key, size, counter.windowMs).then(
      (reserved) => {
        lease.pending = undefined;
        lease.size = size;
        const first = reserved.count - size + 1;
        if (first === 1) {
          // Redis started a new window (the old one ended first there): this run replaces the old one.
          lease.next = first;
          lease.end = reserved.count;
          lease.resetAt = reserved.resetAt;
          lease.queued = undefined;
        } else lease.queued = { next: first, end: reserved.count };
      },
      () => {
        lease.pending = undefined;
      },
    );
  }

  private sweep(now: number, windowMs: number): void {
    if (now - this.lastSweep < windowMs) return;
    this.lastSweep = now;
    for (const [key, lease] of this.leases) if (lease.resetAt <= now && !lease.pending) this.leases.delete(key);
  }
}
