/**
 * The videos service's processing jobs: the durable leased queue and the
 * runner that works it, built from the service's settings when it starts.
 */
import { randomBytes } from "node:crypto";
import type { EntityStore } from "../../../mixins/db";
import { JobQueue } from "./job-queue";
import { JobRunner, type JobOutcome } from "./job-runner";
import { videoJobHandler } from "./video-processing";
import type { VideoJobDoc } from "./video.types";
import type { VideosThis } from "./videos.context";

const JOBS_METRIC = "arena.videos.jobs.total";
const JOB_SECONDS_METRIC = "arena.videos.job.seconds";

/** Job outcomes and durations on the node's Prometheus endpoint (no-ops when metrics are off). */
function jobMetrics(svc: VideosThis): (outcome: JobOutcome, ms: number) => void {
  const metrics = svc.broker.metrics;
  if (!metrics.getMetric(JOBS_METRIC)) {
    metrics.register({
      type: "counter",
      name: JOBS_METRIC,
      labelNames: ["outcome"],
      description: "Video processing job attempts by outcome",
    });
    metrics.register({
      type: "histogram",
      name: JOB_SECONDS_METRIC,
      labelNames: ["outcome"],
      buckets: [1, 5, 15, 60, 300, 900, 3600],
      description: "Video processing attempt duration (s)",
    });
  }
  return (outcome, ms) => {
    metrics.increment(JOBS_METRIC, { outcome });
    metrics.observe(JOB_SECONDS_METRIC, ms / 1000, { outcome });
  };
}

/** Gives the service its job queue and (not yet started) job runner. */
export function setUpJobs(svc: VideosThis, jobs: EntityStore<VideoJobDoc>): void {
  const settings = svc.settings;
  svc.jobQueue = new JobQueue(jobs, {
    owner: `${svc.broker.nodeID}:${randomBytes(3).toString("hex")}`,
    nodeId: svc.broker.nodeID,
    leaseMs: settings.jobLeaseMs,
    maxAttempts: settings.jobMaxAttempts,
    backoffMs: (attempt) => Math.min(settings.jobRetryBaseMs * 2 ** (attempt - 1), 10 * 60_000),
  });
  svc.jobRunner = new JobRunner(svc.jobQueue, videoJobHandler(svc), {
    pollMs: settings.jobPollMs,
    leaseMs: settings.jobLeaseMs,
    logger: svc.logger,
    observe: jobMetrics(svc),
  });
}
