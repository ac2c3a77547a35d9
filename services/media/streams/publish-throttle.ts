/**
 * Failed RTMP publishes, per client address. The attack run pushed about 58
 * wrong keys a second from one address, each a database lookup and a log
 * line. After `freeFailures` failures in a row an address is blocked, for
 * `baseBlockMs` doubling with each further failure up to `maxBlockMs`; while
 * blocked its connections are closed before the RTMP handshake (no key
 * lookup at all). A successful publish, or `forgetAfterMs` without a failure,
 * clears the address. Pure (clock passed in) so the policy is unit-tested.
 */
export interface PublishThrottleOptions {
  freeFailures: number;
  baseBlockMs: number;
  maxBlockMs: number;
  forgetAfterMs: number;
  /** Addresses remembered at most; the least recently failing are dropped first. */
  maxAddresses: number;
}

export const DEFAULT_PUBLISH_THROTTLE: PublishThrottleOptions = {
  // An owner fumbling a key a few times, or an encoder retrying while its
  // previous connection times out, is never blocked.
  freeFailures: 10,
  baseBlockMs: 1000,
  maxBlockMs: 60_000,
  forgetAfterMs: 10 * 60_000,
  maxAddresses: 10_000,
};

interface AddressState {
  failures: number;
  lastFailureAt: number;
  blockedUntil: number;
}

export class PublishThrottle {
  private readonly options: PublishThrottleOptions;
  /** Insertion order is recency: a failing address is moved to the end. */
  private readonly addresses = new Map<string, AddressState>();

  constructor(options: Partial<PublishThrottleOptions> = {}) {
    this.options = { ...DEFAULT_PUBLISH_THROTTLE, ...options };
  }

  /** Milliseconds the address is still blocked for (0 when it may try). */
  blockedForMs(address: string, now: number): number {
    const state = this.current(address, now);
    return state ? Math.max(0, state.blockedUntil - now) : 0;
  }

  /** Counts a failed publish; returns how long the address is now blocked for (0: not blocked). */
  recordFailure(address: string, now: number): number {
    const state = this.current(address, now) ?? { failures: 0, lastFailureAt: now, blockedUntil: 0 };
    state.failures += 1;
    state.lastFailureAt = now;
    const over = state.failures - this.options.freeFailures;
    if (over > 0) {
      const blockMs = Math.min(this.options.baseBlockMs * 2 ** Math.min(over - 1, 30), this.options.maxBlockMs);
      state.blockedUntil = now + blockMs;
    }
    this.addresses.delete(address);
    this.addresses.set(address, state);
    while (this.addresses.size > this.options.maxAddresses) {
      this.addresses.delete(this.addresses.keys().next().value as string);
    }
    return Math.max(0, state.blockedUntil - now);
  }

  recordSuccess(address: string): void {
    this.addresses.delete(address);
  }

  get size(): number {
    return this.addresses.size;
  }

  private current(address: string, now: number): AddressState | undefined {
    const state = this.addresses.get(address);
    if (state && now - state.lastFailureAt > this.options.forgetAfterMs && now >= state.blockedUntil) {
      this.addresses.delete(address);
      return undefined;
    }
    return state;
  }
}

/** What refused publishes looked like over one reporting interval. */
export interface RefusalReport {
  intervalMs: number;
  /** Publishes refused after their key was looked at. */
  refused: number;
  /** Connections closed before the handshake because their address was blocked. */
  throttled: number;
  /** The busiest addresses first, at most `maxAddresses`. */
  addresses: Array<{ address: string; refused: number; throttled: number; reasons: Record<string, number> }>;
  /** Addresses beyond those listed. */
  otherAddresses: number;
}

/**
 * Collects refusals and hands out one report per interval instead of a log
 * line per attempt: a flood costs one line every few seconds.
 */
export class RefusalTally {
  private byAddress = new Map<string, { refused: number; throttled: number; reasons: Record<string, number> }>();
  private startedAt: number;

  constructor(
    now: number,
    private readonly maxAddresses = 5,
  ) {
    this.startedAt = now;
  }

  refused(address: string, reason: string): void {
    const entry = this.entry(address);
    entry.refused += 1;
    entry.reasons[reason] = (entry.reasons[reason] ?? 0) + 1;
  }

  throttled(address: string): void {
    this.entry(address).throttled += 1;
  }

  /** The report since the last one, or undefined when nothing was refused; starts a new interval. */
  take(now: number): RefusalReport | undefined {
    const entries = [...this.byAddress.entries()];
    const intervalMs = now - this.startedAt;
    this.byAddress = new Map();
    this.startedAt = now;
    if (entries.length === 0) return undefined;
    entries.sort(([, a], [, b]) => b.refused + b.throttled - (a.refused + a.throttled));
    return {
      intervalMs,
      refused: entries.reduce((n, [, e]) => n + e.refused, 0),
      throttled: entries.reduce((n, [, e]) => n + e.throttled, 0),
      addresses: entries.slice(0, this.maxAddresses).map(([address, e]) => ({ address, ...e })),
      otherAddresses: Math.max(0, entries.length - this.maxAddresses),
    };
  }

  private entry(address: string) {
    let entry = this.byAddress.get(address);
    if (!entry) this.byAddress.set(address, (entry = { refused: 0, throttled: 0, reasons: {} }));
    return entry;
  }
}

/** One log line for a report: totals, then the busiest addresses with their reasons. */
export function formatRefusalReport(report: RefusalReport): string {
  const seconds = Math.max(1, Math.round(report.intervalMs / 1000));
  const parts = report.addresses.map((a) => {
    const reasons = Object.entries(a.reasons).map(([reason, n]) => `${n}× ${reason}`);
    if (a.throttled > 0) reasons.push(`${a.throttled}× dropped while blocked`);
    return `${a.address}: ${reasons.join(", ")}`;
  });
  if (report.otherAddresses > 0) parts.push(`and ${report.otherAddresses} more addresses`);
  return (
    `RTMP: ${report.refused} publishes refused and ${report.throttled} connections dropped while blocked ` +
    `in the last ${seconds} s (${parts.join("; ")})`
  );
}
