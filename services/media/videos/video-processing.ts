import { join } from "node:path";
import { getConfig } from "../../../lib/config";
import { TranscodeError } from "../../../lib/transcoding";
import type { JobHandler } from "./job-runner";
import { pruneExpiredViews } from "./playback-actions";
import { pruneStaleUploads } from "./upload-tmp";
import type { VideosThis } from "./videos.context";
import type { VideoJobDoc } from "./video.types";

/** Reasons shown to owners are kept short and free of local paths. */
export function ownerFacingReason(reason: string): string {
  return reason.replace(/\/[^\s:'"]+/g, "<path>").slice(0, 500);
}

/**
 * What a processing job does for the videos service: transcode the source
 * into `vod/<id>/`, then — only if the job is still ours — mark the video
 * ready and announce it, in one transaction with the job's completion.
 */
export function videoJobHandler(svc: VideosThis): JobHandler {
  return {
    async run(job: VideoJobDoc, signal: AbortSignal): Promise<void> {
      const video = await svc.stores.videos.findById(job.videoId);
      if (!video || !video.sourceKey) throw new TranscodeError("The video or its source no longer exists", true);
      let result;
      try {
        result = await svc.transcoder.transcode(
          {
            videoId: video.id,
            sourceKey: video.sourceKey,
            outputPrefix: `vod/${video.id}/`,
            resumeJobRef: job.externalRef ?? undefined,
          },
          {
            signal,
            onSubmitted: async (ref) => {
              if (!(await svc.jobQueue.recordExternalRef(job, ref)))
                throw new TranscodeError("Job was taken over", false);
            },
          },
        );
      } catch (err) {
        // Deleted while we worked (that is what aborted us): outputs written meanwhile must not linger.
        if (!(await svc.stores.videos.findById(video.id))) await svc.storage.deletePrefix(`vod/${video.id}/`);
        throw err;
      }
      const publishedAt = new Date();
      const published = await svc.db.transaction(async () => {
        if (!(await svc.jobQueue.succeed(job))) return null;
        // Deleted (or re-uploaded) while we worked: its outputs are not wanted.
        const current = await svc.stores.videos.findById(video.id);
        if (!current || current.status !== "processing" || current.sourceKey !== video.sourceKey) return null;
        const updated = await svc.stores.videos.updateById(video.id, {
          status: "ready",
          failureReason: null,
          durationS: Math.round(result.durationS * 100) / 100,
          width: result.width,
          height: result.height,
          masterPlaylistKey: result.masterPlaylistKey,
          renditions: result.renditions,
          thumbnailKey: result.thumbnailKeys[0] ?? null,
          // First publication: it moves to its publication time in listings; a re-upload keeps its place.
          ...(current.publishedAt ? {} : { publishedAt, listedAt: publishedAt }),
        });
        if (!updated) return null;
        await svc.publishDurable("video.published", {
          videoId: updated.id,
          channelId: updated.channelId,
          ownerId: updated.ownerId,
          title: updated.title,
          description: updated.description,
          category: updated.category,
          tags: updated.tags,
          visibility: updated.visibility,
          durationS: updated.durationS ?? 0,
          liveSessionId: updated.liveSessionId,
          publishedAt: (updated.publishedAt ?? publishedAt).toISOString(),
        });
        return updated;
      });
      if (!published && !(await svc.stores.videos.findById(video.id)))
        await svc.storage.deletePrefix(`vod/${video.id}/`);
      if (published) svc.logger.info(`Video ${video.id} is ready (${result.renditions.map((r) => r.name).join(", ")})`);
    },

    sweep: async () => {
      await repairProcessingVideos(svc);
      await pruneExpiredViews(svc);
      await pruneStaleUploads(join(getConfig().dataDir, "upload-tmp"));
    },

    async onFailed(job: VideoJobDoc, reason: string): Promise<void> {
      // Only the video's current processing job may fail it (not a superseded one).
      const video = await svc.stores.videos.findById(job.videoId);
      if (!video || video.status !== "processing") return;
      const active = await svc.stores.jobs.count({ videoId: job.videoId, state: { $in: ["queued", "running"] } });
      if (active > 0) return;
      await svc.stores.videos.updateById(video.id, { status: "failed", failureReason: ownerFacingReason(reason) });
      await svc.storage.deletePrefix(`vod/${video.id}/`).catch(() => undefined);
    },
  };
}

/**
 * A video may only stay "processing" while a job is queued or running. A
 * crash between closing a failed job and failing its video (two writes) would
 * break that; so would a job row removed by hand. Videos untouched for longer
 * than a lease with no active job are repaired: failed with their last job's
 * reason, or given a new job when there is none.
 */
export async function repairProcessingVideos(svc: VideosThis, now = new Date()): Promise<number> {
  const quietSince = new Date(now.getTime() - svc.settings.jobLeaseMs);
  const candidates = await svc.stores.videos.find({
    query: { status: "processing", updatedAt: { $lt: quietSince } },
    sort: ["updatedAt"],
    limit: 100,
  });
  let repaired = 0;
  for (const video of candidates) {
    if ((await svc.stores.jobs.count({ videoId: video.id, state: { $in: ["queued", "running"] } })) > 0) continue;
    const [last] = await svc.stores.jobs.find({ query: { videoId: video.id }, sort: ["-createdAt"], limit: 1 });
    if (last?.state === "failed") {
      const changed = await svc.stores.videos.updateMany(
        { id: video.id, status: "processing" },
        { status: "failed", failureReason: ownerFacingReason(last.lastError ?? "Processing failed") },
      );
      repaired += changed;
    } else if (video.sourceKey) {
      await svc.jobQueue.enqueue(video.id);
      repaired += 1;
    } else {
      repaired += await svc.stores.videos.updateMany(
        { id: video.id, status: "processing" },
        { status: "failed", failureReason: "The source is missing" },
      );
    }
  }
  if (repaired > 0) {
    svc.logger.warn(`Repaired ${repaired} video(s) left in processing without a live job`);
    svc.jobRunner.kick();
  }
  return repaired;
}
