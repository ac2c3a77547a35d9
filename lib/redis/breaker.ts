/**
 * A circuit breaker for one soft dependency (a Redis connection). Closed: calls
 * go through. After `threshold` consecutive failures it opens: calls fail at
 * once, without touching the dependency, so an outage costs callers nothing
 * but the fallback. While open, the breaker probes in the background every
 * `probeIntervalMs` (no caller ever waits for a probe) and closes on the
 * first success or when told the dependency is back (`markUp`).
 */
export class DependencyDownError extends Error {
  constructor(dependency: string, cause?: unknown) {
    super(`${dependency} unavailable`, cause === undefined ? undefined : { cause });
    this.name = "DependencyDownError";
  }
}

export interface BreakerOptions {
  name: string;
  /** Consecutive failures that open the breaker. */
  threshold: number;
  probeIntervalMs: number;
  /** A cheap call that succeeds only when the dependency answers (PING). */
  probe(): Promise<unknown>;
  /** Errors that say nothing about the dependency's health (e.g. a Redis reply error) do not count. */
  countsAsFailure?(err: unknown): boolean;
  onChange?(state: "open" | "closed", reason?: unknown): void;
}

export class Breaker {
  private failures = 0;
  private openSince: number | undefined;
  private probeTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(private readonly options: BreakerOptions) {}

  get isOpen(): boolean {
    return this.openSince !== undefined;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.openSince !== undefined) throw new DependencyDownError(this.options.name);
    try {
      const result = await fn();
      this.failures = 0;
      return result;
    } catch (err) {
      if (this.options.countsAsFailure && !this.options.countsAsFailure(err)) throw err;
      this.failures += 1;
      if (this.failures >= this.options.threshold) this.open(err);
      throw err;
    }
  }

  /** The dependency says it is back (e.g. the client reconnected). */
  markUp(): void {
    this.failures = 0;
    if (this.openSince === undefined) return;
    this.openSince = undefined;
    clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
    this.options.onChange?.("closed");
  }

  /** The dependency says it is gone (e.g. the connection closed): fail fast from now on. */
  markDown(reason?: unknown): void {
    this.open(reason);
  }

  stop(): void {
    this.closed = true;
    clearTimeout(this.probeTimer);
  }

  private open(reason: unknown): void {
    if (this.openSince !== undefined || this.closed) return;
    this.openSince = Date.now();
    this.options.onChange?.("open", reason);
    this.scheduleProbe();
  }

  private scheduleProbe(): void {
    if (this.closed) return;
    this.probeTimer = setTimeout(() => {
      this.options.probe().then(
        () => this.markUp(),
        () => this.openSince !== undefined && this.scheduleProbe(),
      );
    }, this.options.probeIntervalMs);
    this.probeTimer.unref();
  }
}
