/**
 * Cutting one clip: find the input (a local file, or a copy of the object
 * when storage is S3), place the clip in it (live: ending at the live edge
 * as of the request; VOD: at the requested offset), plan copy or re-encode
 * from the keyframes around the start, run ffmpeg, store the MP4 and its
 * thumbnail, and mark the clip ready with clip.created in one transaction
 * (only if the lease is still ours).
 */
import { execFile } from "node:child_process";
import { mkdir, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { runFfmpegToEnd } from "../../../lib/media/ffmpeg-process";
import { ffprobePathFor } from "../../../lib/media/ffprobe";
import { LocalStorage } from "../../../lib/storage";
import {
  buildClipArgs,
  buildThumbnailArgs,
  keyframeProbeArgs,
  MIN_CLIP_S,
  parseKeyframeTimes,
  planCut,
} from "./clip-cut";
import { permanentError } from "./clip-worker";
import type { ClipsThis } from "./clips.context";
import type { ClipDoc } from "./clip.types";

function ffprobe(ffprobePath: string, args: string[], signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(ffprobePath, args, { timeout: 30_000, maxBuffer: 8 * 1024 * 1024, signal }, (err, stdout, stderr) => {
      if (err) reject(new Error(`ffprobe failed: ${stderr.trim() || err.message}`));
      else resolve(stdout);
    });
  });
}

/** First timestamp and duration of the input's container (MPEG-TS parts rarely start at 0). */
async function probeTiming(ffprobePath: string, input: string, signal: AbortSignal) {
  const out = await ffprobe(
    ffprobePath,
    ["-v", "error", "-show_entries", "format=start_time,duration", "-of", "json", input],
    signal,
  );
  const format = (JSON.parse(out) as { format?: { start_time?: string; duration?: string } }).format ?? {};
  return {
    startS: Number.parseFloat(format.start_time ?? "0") || 0,
    durationS: Number.parseFloat(format.duration ?? "0") || 0,
  };
}

/** A path ffmpeg can read: the file itself on local storage, else a copy in the work dir. */
async function localInput(svc: ClipsThis, clip: ClipDoc, dir: string): Promise<string> {
  if (svc.storage instanceof LocalStorage) return join(svc.storage.root, ...clip.sourceKey.split("/"));
  const copy = join(dir, "input");
  await svc.storage.getToFile(clip.sourceKey, copy);
  return copy;
}

export function clipJobRunner(svc: ClipsThis, ffmpegPath: string) {
  const ffprobePath = ffprobePathFor(ffmpegPath);
  return async (clip: ClipDoc, signal: AbortSignal): Promise<void> => {
    const dir = join(svc.workDir, clip.id);
    await mkdir(dir, { recursive: true });
    try {
      const input = await localInput(svc, clip, dir);
      const timing = await probeTiming(ffprobePath, input, signal);
      let startAbs: number;
      let durationS = clip.durationS;
      if (clip.sourceKind === "live") {
        // The live edge moved on since the request: the clip ends where the edge was then.
        const lagS = Math.max(0, (Date.now() - clip.requestedAt.getTime()) / 1000);
        const endAbs = timing.startS + Math.max(0, timing.durationS - lagS);
        startAbs = Math.max(timing.startS, endAbs - durationS);
        durationS = endAbs - startAbs;
        if (durationS < MIN_CLIP_S) throw permanentError("Not enough of the stream has been recorded yet");
      } else {
        startAbs = timing.startS + (clip.startS ?? 0);
      }
      const tol = svc.settings.copyToleranceS;
      const keyframes = parseKeyframeTimes(
        await ffprobe(ffprobePath, keyframeProbeArgs(input, startAbs - tol - 1, startAbs + tol + 0.1), signal),
      );
      const plan = planCut(keyframes, startAbs, durationS, tol);
      const output = join(dir, "clip.mp4");
      await runFfmpegToEnd(ffmpegPath, buildClipArgs(input, plan, output, svc.settings.reencodePreset, timing.startS));
      if (signal.aborted) throw new Error("Clip job aborted");
      const thumb = join(dir, "thumb.jpg");
      const hasThumb = await runFfmpegToEnd(ffmpegPath, buildThumbnailArgs(output, thumb)).then(
        () => true,
        (err: unknown) => {
          svc.logger.warn(`No thumbnail for clip ${clip.id}: ${String(err)}`);
          return false;
        },
      );
      const storageKey = `clips/${clip.id}/clip.mp4`;
      const thumbnailKey = hasThumb ? `clips/${clip.id}/thumb.jpg` : null;
      await svc.storage.putFile(storageKey, output, { contentType: "video/mp4" });
      if (thumbnailKey) await svc.storage.putFile(thumbnailKey, thumb, { contentType: "image/jpeg" });
      const sizeBytes = (await stat(output)).size;
      const finishedAt = new Date();
      const done = await svc.db.transaction(async () => {
        const changed = await svc.stores.clips.updateMany(
          { id: clip.id, status: "processing", attempts: clip.attempts, leaseOwner: clip.leaseOwner },
          {
            status: "ready",
            method: plan.method,
            startS: Math.round((plan.seekS - timing.startS) * 1000) / 1000,
            durationS: Math.round(plan.durationS * 1000) / 1000,
            storageKey,
            thumbnailKey,
            sizeBytes,
            failureReason: null,
            leaseOwner: null,
            leaseUntil: null,
            finishedAt,
          },
        );
        if (changed !== 1) return false;
        await svc.publishDurable("clip.created", {
          clipId: clip.id,
          channelId: clip.channelId,
          ownerId: clip.ownerId,
          title: clip.title,
          sourceKind: clip.sourceKind,
          videoId: clip.videoId,
          sessionId: clip.sessionId,
          durationS: Math.round(plan.durationS * 1000) / 1000,
          createdAt: finishedAt.toISOString(),
        });
        return true;
      });
      // Deleted or taken over while we cut: what we stored is not wanted.
      if (!done && !(await svc.stores.clips.findById(clip.id))) await svc.storage.deletePrefix(`clips/${clip.id}/`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
}
