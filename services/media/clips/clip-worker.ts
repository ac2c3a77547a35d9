/**
 * Clip jobs. A clip row is its own job: `queued` → `processing` under a
 * lease taken by a conditional update on (id, status, attempts), so two
 * nodes never cut the same clip; a node that dies leaves its lease to
 * expire and any node takes the clip over. Each node runs a few cuts at a
 * time (stream copies are cheap; re-encodes are short), looks for work on a
 * timer and whenever kick() is called (a clip was requested here, or
 * clips.job.queued came from another node).
 */
import type { EntityStore } from "../../../mixins/db";
import type { ClipDoc } from "./clip.types";

export interface ClipWorkerOptions {
  owner: string;
  leaseMs: number;
  pollMs: number;
  maxAttempts: number;
  concurrency: number;
  /** Cuts the clip; throws to fail (an error with `permanent: true` skips retries). */
  run(clip: ClipDoc, signal: AbortSignal): Promise<void>;
  /** The clip failed for good. */
  failed(clip: ClipDoc, reason: string): Promise<void>;
  logger: { warn(...args: unknown[]): void };
}

export class ClipWorker {
  private timer: NodeJS.Timeout | undefined;
  private readonly active = new Map<string, { controller: AbortController; done: Promise<void> }>();
  private stopping = true;
  private scanning: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly clips: EntityStore<ClipDoc>,
    private readonly opts: ClipWorkerOptions,
  ) {}

  start(): void {
    this.stopping = false;
    this.timer = setInterval(() => this.kick(), this.opts.pollMs);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    for (const job of this.active.values()) job.controller.abort();
    await this.scanning;
    await Promise.all([...this.active.values()].map((j) => j.done));
  }

  /** Resolves once nothing is running (tests). */
  async idle(): Promise<void> {
    while (this.scanning || this.active.size > 0) {
      await this.scanning;
      await Promise.all([...this.active.values()].map((j) => j.done));
    }
  }

  kick(): void {
    if (this.stopping) return;
    if (this.scanning) {
      this.again = true;
      return;
    }
    this.scanning = this.fill()
      .catch((err: unknown) => this.opts.logger.warn("Clip job scan failed; will retry", err))
      .finally(() => {
        this.scanning = undefined;
        if (this.again && !this.stopping) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async fill(): Promise<void> {
    while (!this.stopping && this.active.size < this.opts.concurrency) {
      const clip = await this.claimNext();
      if (!clip) return;
      const controller = new AbortController();
      const done = this.process(clip, controller).finally(() => {
        this.active.delete(clip.id);
        this.kick();
      });
      this.active.set(clip.id, { controller, done });
    }
  }

  /** Takes the oldest queued clip, or one whose worker's lease expired. */
  async claimNext(now = new Date()): Promise<ClipDoc | null> {
    const candidates = [
      ...(await this.clips.find({ query: { status: "queued" }, sort: ["createdAt", "id"], limit: 10 })),
      ...(await this.clips.find({
        query: { status: "processing", leaseUntil: { $lt: now } },
        sort: ["leaseUntil"],
        limit: 10,
      })),
    ];
    for (const c of candidates) {
      const guard = { id: c.id, status: c.status, attempts: c.attempts };
      if (c.status === "processing" && c.attempts >= this.opts.maxAttempts) {
        const reason = c.failureReason ?? "The clip worker stopped responding";
        if ((await this.clips.updateMany(guard, this.failedPatch(reason, now))) === 1)
          await this.opts.failed({ ...c, status: "failed" }, reason);
        continue;
      }
      const patch = {
        status: "processing" as const,
        attempts: c.attempts + 1,
        leaseOwner: this.opts.owner,
        leaseUntil: new Date(now.getTime() + this.opts.leaseMs),
      };
      if ((await this.clips.updateMany(guard, patch)) === 1) return { ...c, ...patch };
    }
    return null;
  }

  private failedPatch(reason: string, now = new Date()) {
    return { status: "failed" as const, leaseOwner: null, leaseUntil: null, failureReason: reason, finishedAt: now };
  }

  private async process(clip: ClipDoc, controller: AbortController): Promise<void> {
    const held = { id: clip.id, status: "processing", attempts: clip.attempts, leaseOwner: this.opts.owner };
    const heartbeat = setInterval(
      () => {
        void this.clips
          .updateMany(held, { leaseUntil: new Date(Date.now() + this.opts.leaseMs) })
          .then((n) => {
            if (n !== 1) controller.abort();
          })
          .catch((err: unknown) => this.opts.logger.warn(`Could not renew the lease of clip ${clip.id}`, err));
      },
      Math.max(50, Math.floor(this.opts.leaseMs / 3)),
    );
    heartbeat.unref();
    try {
      await this.opts.run(clip, controller.signal);
    } catch (err) {
      if (this.stopping) {
        // Hand it back without spending an attempt.
        await this.clips
          .updateMany(held, { status: "queued", attempts: clip.attempts - 1, leaseOwner: null, leaseUntil: null })
          .catch(() => undefined);
        return;
      }
      const reason = (err instanceof Error ? err.message : String(err)).replace(/\/[^\s:'"]+/g, "<path>").slice(0, 500);
      const permanent = (err as { permanent?: boolean }).permanent === true;
      const final = permanent || clip.attempts >= this.opts.maxAttempts;
      const patch = final
        ? this.failedPatch(reason)
        : { status: "queued" as const, leaseOwner: null, leaseUntil: null, failureReason: reason };
      const changed = await this.clips.updateMany(held, patch);
      this.opts.logger.warn(`Clip ${clip.id} attempt ${clip.attempts} failed${final ? " for good" : ""}: ${reason}`);
      if (changed === 1 && final) await this.opts.failed({ ...clip, ...patch }, reason);
    } finally {
      clearInterval(heartbeat);
    }
  }
}

/** An error that retrying cannot fix (bad input, too little video). */
export function permanentError(message: string): Error {
  return Object.assign(new Error(message), { permanent: true });
}
