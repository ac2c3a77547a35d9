import type { JobQueue, Claim } from "./job-queue";
import type { VideoJobDoc } from "./video.types";

export interface JobHandler {
  /** Does the work; throws to fail. `permanent` on the error skips retries. */
  run(job: VideoJobDoc, signal: AbortSignal): Promise<void>;
  /** Called after the job failed for good (also for a job exhausted by dead workers). */
  onFailed(job: VideoJobDoc, reason: string): Promise<void>;
  /** Periodic repair of state a crash between two writes could leave behind. */
  sweep?(): Promise<unknown>;
}

export type JobOutcome = "succeeded" | "retry" | "failed" | "lost" | "released" | "exhausted";

interface Logger {
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

/**
 * One worker loop per service instance, one job at a time (transcoding
 * saturates the CPU anyway). It looks for work on a timer and whenever
 * kick() is called, renews the lease while a job runs and aborts the job when
 * the lease is lost or the service stops.
 */
export class JobRunner {
  private timer: NodeJS.Timeout | undefined;
  private sweepTimer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private current: { job: VideoJobDoc; controller: AbortController } | undefined;
  private stopping = false;
  /** kick() does nothing on a node that was never started (processJobs: false). */
  private started = false;
  private rekick = false;

  constructor(
    private readonly queue: JobQueue,
    private readonly handler: JobHandler,
    private readonly opts: {
      pollMs: number;
      leaseMs: number;
      sweepMs?: number;
      logger: Logger;
      observe?: (outcome: JobOutcome, ms: number) => void;
    },
  ) {}

  start(): void {
    this.started = true;
    this.stopping = false;
    this.timer = setInterval(() => this.kick(), this.opts.pollMs);
    this.timer.unref();
    if (this.handler.sweep) {
      const sweep = (): void => {
        this.handler
          .sweep?.()
          .catch((err: unknown) => this.opts.logger.warn("Video job sweep failed; will retry", err));
      };
      this.sweepTimer = setInterval(sweep, this.opts.sweepMs ?? Math.max(this.opts.pollMs * 10, this.opts.leaseMs));
      this.sweepTimer.unref();
      sweep();
    }
    this.kick();
  }

  /** Looks for work now (or right after the current job). */
  kick(): void {
    if (!this.started || this.stopping) return;
    if (this.running) {
      this.rekick = true;
      return;
    }
    this.running = this.drain()
      .catch((err: unknown) => this.opts.logger.error("Video job loop failed; will retry on the next tick", err))
      .finally(() => {
        this.running = undefined;
        if (this.rekick && !this.stopping) {
          this.rekick = false;
          this.kick();
        }
      });
  }

  /** Resolves once no job is in progress (tests). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stops taking work, aborts the job in progress and hands it back. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    this.current?.controller.abort();
    await this.running;
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.stopping) return;
      const claim = await this.queue.claimNext();
      if (!claim) return;
      await this.process(claim);
    }
  }

  private async process(claim: Claim): Promise<void> {
    const { job } = claim;
    if (claim.exhausted) {
      this.opts.logger.warn(`Video job ${job.id} (video ${job.videoId}) gave up: ${claim.reason}`);
      await this.handler.onFailed(job, claim.reason);
      this.opts.observe?.("exhausted", 0);
      return;
    }
    const startedAt = Date.now();
    const controller = new AbortController();
    this.current = { job, controller };
    const heartbeat = setInterval(
      () => {
        void this.queue.renew(job).then(
          (ours) => {
            if (!ours) controller.abort();
          },
          (err: unknown) => this.opts.logger.warn(`Could not renew the lease of video job ${job.id}`, err),
        );
      },
      Math.max(50, Math.floor(this.opts.leaseMs / 3)),
    );
    try {
      await this.handler.run(job, controller.signal);
      this.opts.observe?.("succeeded", Date.now() - startedAt);
    } catch (err) {
      if (this.stopping) {
        await this.queue.release(job).catch(() => undefined);
        this.opts.observe?.("released", Date.now() - startedAt);
        return;
      }
      const reason = err instanceof Error ? err.message : String(err);
      const permanent = (err as { permanent?: boolean }).permanent === true;
      const outcome = await this.queue.fail(job, reason, permanent);
      this.opts.logger.warn(
        `Video job ${job.id} (video ${job.videoId}) attempt ${job.attempts} failed (${outcome}): ${reason}`,
      );
      if (outcome === "failed") await this.handler.onFailed(job, reason);
      this.opts.observe?.(outcome, Date.now() - startedAt);
    } finally {
      clearInterval(heartbeat);
      this.current = undefined;
    }
  }
}
