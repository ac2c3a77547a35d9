import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { getConfig } from "../../../lib/config";
import { ConflictError, PayloadTooLargeError, ValidationError } from "../../../lib/errors";
import { S3Storage } from "../../../lib/storage";
import { ffprobePathFor } from "../../../lib/transcoding";
import { broadcastEvent } from "../../../lib/contracts";
import type { VideosContext, VideosThis } from "./videos.context";
import { loadManaged } from "./video-actions";
import { toVideoView } from "./video-rules";
import { drain, receiveUpload } from "./upload-receiver";
import { formatByteSize } from "./upload-limits";
import { isId } from "../../../lib/validation";
import { isAcceptedDeclaredType, declaredType } from "./upload-sniff";
import type { VideoDoc, VideoView } from "./video.types";

/** What the gateway puts in ctx.meta for a streamed route (see services/edge/api). */
interface UploadMeta {
  $params?: { id?: string };
  contentType?: string;
  contentLength?: number | string;
}

/**
 * Points the video at its source and queues processing, in one transaction:
 * a video is never "processing" without a job that will finish it. The
 * transition is conditional (from awaiting_upload or failed), so of two
 * concurrent uploads or retries one queues a job and the other gets 409:
 * two transcodes never write the same outputs.
 */
export async function startProcessing(
  svc: VideosThis,
  video: VideoDoc,
  source: { key: string; bytes: number; type: string },
): Promise<VideoDoc> {
  const updated = await svc.db.transaction(async () => {
    const changed = await svc.stores.videos.updateMany(
      { id: video.id, status: { $in: ["awaiting_upload", "failed"] } },
      {
        status: "processing",
        sourceKey: source.key,
        sourceBytes: source.bytes,
        sourceType: source.type,
        failureReason: null,
      },
    );
    if (changed === 0) {
      const current = await svc.stores.videos.findById(video.id);
      if (!current) throw new ConflictError("The video was deleted during the upload");
      throw new ConflictError(
        current.status === "processing"
          ? "The video is already being processed"
          : "The video is published and keeps its source",
      );
    }
    await svc.jobQueue.enqueue(video.id);
    return svc.stores.videos.findById(video.id);
  });
  if (!updated) throw new ConflictError("The video was deleted during the upload");
  svc.jobRunner.kick();
  void broadcastEvent(svc.broker, "videos.job.queued", { videoId: video.id });
  return updated;
}

/** A source replaced by one of another container must not linger (the direct-upload staging object is left to its own flow). */
async function removeOtherSources(svc: VideosThis, videoId: string, keep: string): Promise<void> {
  for (const key of await svc.storage.list(`uploads/${videoId}/`)) {
    if (key !== keep && key !== incomingKey(videoId)) await svc.storage.delete(key);
  }
}

/** Set at service creation from settings or VOD_UPLOAD_MAX_SIZE. */
/**
 * Both upload paths end here: the bytes are received to a temp file (size
 * limit, content sniffing, probe), stored as the video's source, and the
 * video moves to processing.
 */
async function acceptSource(
  svc: VideosThis,
  video: VideoDoc,
  body: Readable,
  declared: { contentType?: string; contentLength?: number },
): Promise<VideoDoc> {
  const config = getConfig();
  const received = await receiveUpload(body, {
    ...declared,
    maxBytes: uploadLimit(svc),
    tmpDir: join(config.dataDir, "upload-tmp"),
    ffprobePath: ffprobePathFor(config.media.ffmpegPath),
  });
  try {
    const key = `uploads/${video.id}/source.${received.sniff.extension}`;
    await svc.storage.putFile(key, received.filePath, { contentType: received.sniff.mimeType });
    const updated = await startProcessing(svc, video, { key, bytes: received.size, type: received.sniff.mimeType });
    // Only the upload that won the move to processing clears a replaced source
    // of another container, so a concurrent loser never deletes the winner's.
    await removeOtherSources(svc, video.id, key);
    return updated;
  } finally {
    await rm(received.filePath, { force: true });
  }
}

function uploadLimit(svc: VideosThis): number {
  return svc.settings.uploadMaxBytes ?? 0;
}

function assertUploadable(video: VideoDoc): void {
  if (video.origin !== "upload")
    throw new ConflictError("A recording's source comes from the live stream and cannot be replaced");
  if (video.status === "processing")
    throw new ConflictError("The video is being processed; wait for it to finish or fail");
  // Replacing a published source would take the video off the air while it
  // reprocesses, and a failed transcode would lose the renditions viewers
  // had: a published video keeps its source (as on the big platforms).
  if (video.status === "ready")
    throw new ConflictError("The video is published and keeps its source; upload the new version as a new video");
}

/** Embedded mode: the source streams through the gateway into local storage. */
export async function uploadSource(svc: VideosThis, ctx: VideosContext<Readable>): Promise<VideoView> {
  const meta = ctx.meta as VideosContext["meta"] & UploadMeta;
  const body = ctx.params;
  const id = meta.$params?.id;
  try {
    // The body is a stream, so fastest-validator cannot check this action: the one id rule, by hand.
    if (!isId(id))
      throw new ValidationError("Bad video id", [{ field: "id", message: "expected letters, digits, - or _" }]);
    const video = await loadManaged(svc, ctx as unknown as VideosContext, id);
    assertUploadable(video);
    const contentLength =
      meta.contentLength === undefined || meta.contentLength === "" ? undefined : Number(meta.contentLength);
    if (contentLength !== undefined && !Number.isFinite(contentLength)) throw new ValidationError("Bad Content-Length");
    const updated = await acceptSource(svc, video, body, { contentType: meta.contentType, contentLength });
    return toVideoView(updated, ctx.meta.user);
  } finally {
    // Refused before reading: do not leave the client's bytes hanging on the socket.
    drain(body);
  }
}

export interface UploadUrlParams {
  id: string;
  contentType: string;
  size: number;
}

export interface UploadGrant {
  method: "PUT";
  headers: Record<string, string>;
  expiresAt: string;
  /** Single PUT (sources up to the multipart threshold). */
  uploadUrl?: string;
  /** Larger sources: PUT each byte range to its URL, keep each response's ETag, send them to upload-complete. */
  multipart?: { uploadId: string; partSize: number; parts: { partNumber: number; url: string }[] };
}

/** Production: presigned S3 upload URL(s); then the client calls completeUpload. */
export async function requestUploadUrl(svc: VideosThis, ctx: VideosContext<UploadUrlParams>): Promise<UploadGrant> {
  const video = await loadManaged(svc, ctx, ctx.params.id);
  assertUploadable(video);
  const storage = svc.storage;
  if (!(storage instanceof S3Storage))
    throw new ConflictError("Direct uploads need S3 storage; upload through PUT /videos/:id/source instead");
  const type = declaredType(ctx.params.contentType);
  if (!type || type === "application/octet-stream" || !isAcceptedDeclaredType(type))
    throw new ValidationError(`Content type ${ctx.params.contentType} is not a video type we accept`);
  if (ctx.params.size > uploadLimit(svc)) throw new PayloadTooLargeError(formatByteSize(uploadLimit(svc)));
  const expiresInS = 3600;
  const expiresAt = new Date(Date.now() + expiresInS * 1000).toISOString();
  const key = incomingKey(video.id);
  if (ctx.params.size <= svc.settings.multipartThresholdBytes) {
    return {
      method: "PUT",
      headers: { "content-type": type },
      expiresAt,
      uploadUrl: await storage.presignPut(key, { contentType: type, expiresInS }),
    };
  }
  // S3 allows at most 10,000 parts: grow the part size for very large sources.
  const partSize = Math.max(svc.settings.multipartPartBytes, Math.ceil(ctx.params.size / 10_000));
  const count = Math.ceil(ctx.params.size / partSize);
  const uploadId = await storage.startMultipart(key, type);
  const parts = await Promise.all(
    Array.from({ length: count }, async (_, i) => ({
      partNumber: i + 1,
      url: await storage.presignPart(key, uploadId, i + 1, expiresInS),
    })),
  );
  return { method: "PUT", headers: {}, expiresAt, multipart: { uploadId, partSize, parts } };
}

function incomingKey(videoId: string): string {
  return `uploads/${videoId}/incoming`;
}

export interface CompleteUploadParams {
  id: string;
  /** For a multipart upload: its id and every part's ETag. */
  uploadId?: string;
  parts?: { partNumber: number; etag: string }[];
}

/**
 * After a direct upload: the object is checked exactly like a streamed upload
 * (size, sniffing, ffprobe) before it becomes the source; a bad one is deleted.
 */
export async function completeUpload(svc: VideosThis, ctx: VideosContext<CompleteUploadParams>): Promise<VideoView> {
  const video = await loadManaged(svc, ctx, ctx.params.id);
  assertUploadable(video);
  const incoming = incomingKey(video.id);
  const { uploadId, parts } = ctx.params;
  if (!!uploadId !== !!parts)
    throw new ValidationError("uploadId and parts go together", [
      { field: uploadId ? "parts" : "uploadId", message: "required" },
    ]);
  if (uploadId && parts) {
    if (!(svc.storage instanceof S3Storage)) throw new ConflictError("Multipart uploads need S3 storage");
    try {
      await svc.storage.completeMultipart(incoming, uploadId, parts);
    } catch (err) {
      await svc.storage.abortMultipart(incoming, uploadId).catch(() => undefined);
      throw new ValidationError(`The multipart upload could not be completed: ${(err as Error).message}`);
    }
  }
  const head = await svc.storage.head(incoming);
  if (!head) throw new ConflictError("Nothing was uploaded yet");
  try {
    const updated = await acceptSource(svc, video, await svc.storage.get(incoming), { contentLength: head.size });
    return toVideoView(updated, ctx.meta.user);
  } finally {
    await svc.storage.delete(incoming);
  }
}

/** Owner asks for another try after a failure (e.g. MediaConvert was down). */
export async function retryProcessing(svc: VideosThis, ctx: VideosContext<{ id: string }>): Promise<VideoView> {
  const video = await loadManaged(svc, ctx, ctx.params.id);
  if (video.status !== "failed" || !video.sourceKey)
    throw new ConflictError("Only a failed video with a source can be retried");
  const updated = await startProcessing(svc, video, {
    key: video.sourceKey,
    bytes: video.sourceBytes ?? 0,
    type: video.sourceType ?? "video/mp4",
  });
  return toVideoView(updated, ctx.meta.user);
}
