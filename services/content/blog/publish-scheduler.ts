/**
 * The durable timer behind scheduled publication. Timers are rows
 * (publish_timers); every blog node runs this poller. A due timer is taken
 * under a lease by a conditional update (only one node wins), and fired in
 * one transaction with the post's change and its event. A node that dies
 * while holding a lease leaves it to expire; the next poll anywhere takes it
 * over. Besides polling, each node arms an exact timeout for the next due
 * timer it knows, so a post goes out on time rather than at the next poll.
 */
import type { EntityStore } from "../../../mixins/db";
import type { PublishTimerDoc } from "./post.types";

export interface SchedulerOptions {
  owner: string;
  pollMs: number;
  leaseMs: number;
  /** Publishes the timer's post; returns false when the timer is stale (post changed or gone). */
  fire(timer: PublishTimerDoc): Promise<boolean>;
  logger: { warn(...args: unknown[]): void };
}

/** Longest single timeout (setTimeout overflows past ~24.8 days; the poller covers the rest). */
const MAX_ARM_MS = 60 * 60_000;

export class PublishScheduler {
  private pollTimer: NodeJS.Timeout | undefined;
  private armTimer: NodeJS.Timeout | undefined;
  private armedFor = Infinity;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;

  constructor(
    private readonly timers: EntityStore<PublishTimerDoc>,
    private readonly opts: SchedulerOptions,
  ) {}

  start(): void {
    this.stopped = false;
    this.pollTimer = setInterval(() => this.kick(), this.opts.pollMs);
    this.pollTimer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    if (this.armTimer) clearTimeout(this.armTimer);
    await this.running;
  }

  /** Wakes the poller exactly when `at` comes (if sooner than what is armed). */
  armAt(at: Date): void {
    if (this.stopped) return;
    const when = at.getTime();
    if (when >= this.armedFor) return;
    if (this.armTimer) clearTimeout(this.armTimer);
    this.armedFor = when;
    this.armTimer = setTimeout(
      () => {
        this.armedFor = Infinity;
        this.kick();
      },
      Math.min(Math.max(0, when - Date.now()) + 5, MAX_ARM_MS),
    );
    this.armTimer.unref();
  }

  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((err: unknown) => this.opts.logger.warn("Blog scheduler pass failed; will retry", err))
      .finally(() => {
        this.running = undefined;
        if (this.again && !this.stopped) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Resolves when no pass is running (tests). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const timer = await this.claimNext();
      if (!timer) break;
      await this.fireClaimed(timer);
    }
    await this.armNext();
  }

  /** Takes a due timer: free ones, and ones whose holder's lease expired (that node died mid-fire). */
  async claimNext(now = new Date()): Promise<PublishTimerDoc | null> {
    const free = await this.timers.find({
      query: { state: "pending", dueAt: { $lte: now }, leaseOwner: null },
      sort: ["dueAt", "id"],
      limit: 10,
    });
    const abandoned = await this.timers.find({
      query: { state: "pending", dueAt: { $lte: now }, leaseUntil: { $lt: now } },
      sort: ["dueAt", "id"],
      limit: 10,
    });
    for (const candidate of [...free, ...abandoned]) {
      const patch = {
        attempts: candidate.attempts + 1,
        leaseOwner: this.opts.owner,
        leaseUntil: new Date(now.getTime() + this.opts.leaseMs),
      };
      const guard = { id: candidate.id, state: "pending", attempts: candidate.attempts };
      if ((await this.timers.updateMany(guard, patch)) === 1) return { ...candidate, ...patch };
    }
    return null;
  }

  private async fireClaimed(timer: PublishTimerDoc): Promise<void> {
    try {
      const fired = await this.opts.fire(timer);
      if (!fired) await this.finish(timer, "cancelled", "The post changed before its time");
    } catch (err) {
      // Handed back for a later pass (here or on another node); the post stays scheduled.
      const reason = err instanceof Error ? err.message : String(err);
      this.opts.logger.warn(
        `Scheduled publication of post ${timer.postId} failed (attempt ${timer.attempts}): ${reason}`,
      );
      await this.timers
        .updateMany(this.held(timer), { leaseOwner: null, leaseUntil: null, lastError: reason })
        .catch(() => undefined);
      throw err;
    }
  }

  /** The guard of a timer this node holds. */
  held(timer: PublishTimerDoc) {
    return { id: timer.id, state: "pending", attempts: timer.attempts, leaseOwner: this.opts.owner };
  }

  async finish(timer: PublishTimerDoc, state: "done" | "cancelled", lastError: string | null = null): Promise<boolean> {
    return (
      (await this.timers.updateMany(this.held(timer), { state, leaseOwner: null, leaseUntil: null, lastError })) === 1
    );
  }

  private async armNext(): Promise<void> {
    const [next] = await this.timers.find({ query: { state: "pending", leaseOwner: null }, sort: ["dueAt"], limit: 1 });
    if (next) this.armAt(new Date(next.dueAt));
  }
}
