import type { EntityStore } from "../../../mixins/db";
import type { VideoJobDoc } from "./video.types";

export interface JobQueueOptions {
  /** Who holds leases taken by this queue (node id + service instance). */
  owner: string;
  /** The broker's node id, recorded on each job this queue claims. */
  nodeId: string;
  leaseMs: number;
  maxAttempts: number;
  /** Delay before retry n (1-based). */
  backoffMs: (attempt: number) => number;
}

export type Claim = { job: VideoJobDoc; exhausted: false } | { job: VideoJobDoc; exhausted: true; reason: string };

/**
 * Durable processing jobs on the entity store. Every state change is a
 * conditional update on (id, state, attempts): `attempts` grows on each claim,
 * so it doubles as a version number and two nodes can never both own a job
 * (the loser's update matches no row). No store-specific locking, so it works
 * the same on PostgreSQL, PGlite and MongoDB.
 */
export class JobQueue {
  constructor(
    private readonly jobs: EntityStore<VideoJobDoc>,
    private readonly opts: JobQueueOptions,
  ) {}

  get owner(): string {
    return this.opts.owner;
  }

  /** A fresh job for a video; any unfinished earlier job for it is superseded. */
  async enqueue(videoId: string, now = new Date()): Promise<VideoJobDoc> {
    await this.jobs.updateMany(
      { videoId, state: { $in: ["queued", "running"] } },
      { state: "failed", lastError: "Superseded by a newer upload", leaseOwner: null, leaseUntil: null },
    );
    return this.jobs.insert({
      videoId,
      state: "queued",
      attempts: 0,
      maxAttempts: this.opts.maxAttempts,
      availableAt: now,
      leaseOwner: null,
      workerNodeId: null,
      leaseUntil: null,
      externalRef: null,
      lastError: null,
    });
  }

  /**
   * Takes the oldest job that is due: queued ones, and running ones whose
   * lease expired (their worker died). A dead worker's job that already used
   * all its attempts is closed as failed instead, so a poison job that kills
   * its worker cannot loop forever.
   */
  async claimNext(now = new Date()): Promise<Claim | null> {
    // Two queries, so jobs running healthily elsewhere never crowd out queued ones.
    const abandoned = await this.jobs.find({
      query: { state: "running", leaseUntil: { $lt: now } },
      sort: ["leaseUntil"],
      limit: 10,
    });
    const queued = await this.jobs.find({
      query: { state: "queued", availableAt: { $lte: now } },
      sort: ["availableAt", "createdAt"],
      limit: 10,
    });
    for (const candidate of [...abandoned, ...queued]) {
      const guard = { id: candidate.id, state: candidate.state, attempts: candidate.attempts };
      if (candidate.state === "running" && candidate.attempts >= candidate.maxAttempts) {
        const reason = `Processing was interrupted ${candidate.attempts} times (last: ${candidate.lastError ?? "worker stopped responding"})`;
        const closed = await this.jobs.updateMany(guard, {
          state: "failed",
          leaseOwner: null,
          leaseUntil: null,
          lastError: reason,
        });
        if (closed === 1) return { job: { ...candidate, state: "failed", lastError: reason }, exhausted: true, reason };
        continue;
      }
      const patch = {
        state: "running" as const,
        attempts: candidate.attempts + 1,
        leaseOwner: this.opts.owner,
        workerNodeId: this.opts.nodeId,
        leaseUntil: new Date(now.getTime() + this.opts.leaseMs),
        // A takeover keeps a note of why the previous attempt ended.
        lastError:
          candidate.state === "running"
            ? `Lease of ${candidate.leaseOwner ?? "a worker"} expired`
            : candidate.lastError,
      };
      if ((await this.jobs.updateMany(guard, patch)) === 1)
        return { job: { ...candidate, ...patch }, exhausted: false };
    }
    return null;
  }

  private held(job: VideoJobDoc) {
    return { id: job.id, state: "running", attempts: job.attempts, leaseOwner: this.opts.owner };
  }

  /** Extends the lease; false means the job is no longer ours (taken over or superseded). */
  async renew(job: VideoJobDoc, now = new Date()): Promise<boolean> {
    return (
      (await this.jobs.updateMany(this.held(job), { leaseUntil: new Date(now.getTime() + this.opts.leaseMs) })) === 1
    );
  }

  async recordExternalRef(job: VideoJobDoc, externalRef: string): Promise<boolean> {
    return (await this.jobs.updateMany(this.held(job), { externalRef })) === 1;
  }

  async succeed(job: VideoJobDoc): Promise<boolean> {
    return (
      (await this.jobs.updateMany(this.held(job), {
        state: "succeeded",
        leaseOwner: null,
        leaseUntil: null,
        lastError: null,
      })) === 1
    );
  }

  /**
   * Retries with backoff while attempts remain and the error may pass;
   * otherwise closes the job. "lost" when the job stopped being ours.
   */
  async fail(
    job: VideoJobDoc,
    error: string,
    permanent: boolean,
    now = new Date(),
  ): Promise<"retry" | "failed" | "lost"> {
    const final = permanent || job.attempts >= job.maxAttempts;
    const patch = final
      ? { state: "failed" as const, leaseOwner: null, leaseUntil: null, lastError: error }
      : {
          state: "queued" as const,
          leaseOwner: null,
          leaseUntil: null,
          lastError: error,
          availableAt: new Date(now.getTime() + this.opts.backoffMs(job.attempts)),
        };
    if ((await this.jobs.updateMany(this.held(job), patch)) !== 1) return "lost";
    return final ? "failed" : "retry";
  }

  /** Graceful shutdown: hand the job back without spending an attempt. */
  async release(job: VideoJobDoc): Promise<boolean> {
    return (
      (await this.jobs.updateMany(this.held(job), {
        state: "queued",
        attempts: Math.max(0, job.attempts - 1),
        leaseOwner: null,
        leaseUntil: null,
      })) === 1
    );
  }

  /** Jobs of a video, newest first (owner-facing processing history). */
  history(videoId: string): Promise<VideoJobDoc[]> {
    return this.jobs.find({ query: { videoId }, sort: ["-createdAt"], limit: 20 });
  }
}
