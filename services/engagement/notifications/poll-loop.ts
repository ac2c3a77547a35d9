/**
 * A worker loop that polls every `pollMs`, can be woken at once, never runs
 * two passes at the same time, and finishes its pass on stop.
 */
/** A background worker of the service (fan-outs, pushes): what the service's lifecycle and handlers call. */
export interface BackgroundWorker {
  start(): void;
  /** Look for work now rather than at the next poll. */
  wake(): void;
  stop(): Promise<void>;
}

export class PollLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;

  constructor(
    private readonly pass: () => Promise<boolean>,
    private readonly pollMs: number,
    private readonly onError: (err: Error) => void,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.timer = setInterval(() => this.wake(), this.pollMs);
    this.timer.unref();
    this.wake();
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Runs a pass now (or right after the current one). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => (this.running = undefined));
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        // A pass that did work runs again at once: a backlog drains without waiting for the poll.
        while (!this.stopped && (await this.pass()));
      } catch (err) {
        this.onError(err as Error);
      }
    } while (this.again && !this.stopped);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}
