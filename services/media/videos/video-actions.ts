import type { AuthUser } from "../../../lib/auth/auth-user";
import { requireUser, isAdmin } from "../../../lib/auth/ownership";
import { getConfig } from "../../../lib/config";
import { sanitizePlainText } from "../../../lib/moderation";
import { roundedExpiry, signSingleObject } from "./playback";
import { ForbiddenError, NotFoundError, ValidationError } from "../../../lib/errors";
import { callAction } from "../../../lib/contracts";
import type { VideosContext, VideosThis } from "./videos.context";
import { canView, isManager, toVideoView } from "./video-rules";
import { toPlainTags } from "../../../lib/text/plain-text";
import type { VideoDoc, VideoView, Visibility } from "./video.types";
import { markCreated } from "../../../lib/http/response-meta";

export interface CreateVideoParams {
  channelId: string;
  title: string;
  description?: string;
  category?: string;
  tags?: string[];
  visibility?: Visibility;
}

export interface UpdateVideoParams {
  id: string;
  title?: string;
  description?: string;
  category?: string | null;
  tags?: string[];
  visibility?: Visibility;
}

/** A video as its viewer sees it, with a signed thumbnail URL once it is ready. */
export function present(svc: VideosThis, video: VideoDoc, viewer: AuthUser | undefined): VideoView {
  const thumbnail =
    video.status === "ready" && video.thumbnailKey
      ? signSingleObject(svc.playbackSigner, video.thumbnailKey, roundedExpiry(Date.now(), getConfig().media.urlTtlS))
      : null;
  return toVideoView(video, viewer, thumbnail);
}

/** The channel's owner, from the service that owns channels (404 for an unknown channel). */
export async function channelOwner(ctx: VideosContext, channelId: string): Promise<string> {
  return (await callAction(ctx, "channels.get", { id: channelId })).ownerId;
}

/** Loads a video the caller may manage: 404 when they cannot even see it, 403 when they see but do not own it. */
export async function loadManaged(svc: VideosThis, ctx: VideosContext, id: string): Promise<VideoDoc> {
  const user = requireUser(ctx);
  const video = await svc.stores.videos.findById(id);
  if (!video || !canView(user, video)) throw new NotFoundError("Video", id);
  if (!isManager(user, video)) throw new ForbiddenError("Only the owner may change this video");
  return video;
}

/** Loads a video the caller may watch; private and unfinished ones are 404 to others (no existence leak). */
export async function loadViewable(svc: VideosThis, ctx: VideosContext, id: string): Promise<VideoDoc> {
  const video = await svc.stores.videos.findById(id);
  if (!video || !canView(ctx.meta.user, video)) throw new NotFoundError("Video", id);
  return video;
}

export async function createVideo(svc: VideosThis, ctx: VideosContext<CreateVideoParams>): Promise<VideoView> {
  const user = requireUser(ctx);
  const p = ctx.params;
  if (!sanitizePlainText(p.title))
    throw new ValidationError("Title cannot be blank", [{ field: "title", message: "blank" }]);
  const ownerId = await channelOwner(ctx, p.channelId);
  if (ownerId !== user.id && !isAdmin(user)) throw new ForbiddenError("You can only add videos to your own channel");
  const video = await svc.db.transaction(async () => {
    const created = await svc.stores.videos.insert(newVideoDoc({ ...p, ownerId, origin: "upload" }));
    await svc.publishDurable("video.created", createdPayload(created));
    return created;
  });
  markCreated(ctx, `/videos/${video.id}`);
  return toVideoView(video, user);
}

export function newVideoDoc(
  p: CreateVideoParams & {
    ownerId: string;
    origin: VideoDoc["origin"];
    sourceId?: string;
    liveSessionId?: string;
    id?: string;
  },
): Omit<VideoDoc, "id" | "createdAt" | "updatedAt"> & { id?: string } {
  return {
    ...(p.id ? { id: p.id } : {}),
    channelId: p.channelId,
    ownerId: p.ownerId,
    // Plain text, like comments; a recording's title that sanitizes to nothing still needs one.
    title: sanitizePlainText(p.title) || "Untitled",
    description: sanitizePlainText(p.description ?? ""),
    category: (p.category ? sanitizePlainText(p.category) : "") || null,
    tags: toPlainTags(p.tags),
    visibility: p.visibility ?? "public",
    status: "awaiting_upload",
    origin: p.origin,
    sourceId: p.sourceId ?? null,
    liveSessionId: p.liveSessionId ?? null,
    sourceKey: null,
    sourceBytes: null,
    sourceType: null,
    durationS: null,
    width: null,
    height: null,
    masterPlaylistKey: null,
    renditions: [],
    thumbnailKey: null,
    failureReason: null,
    viewCount: 0,
    commentCount: 0,
    publishedAt: null,
    // A draft lists by its creation time until it is published (video-processing.ts).
    listedAt: new Date(),
  };
}

export function createdPayload(video: VideoDoc) {
  return {
    videoId: video.id,
    channelId: video.channelId,
    ownerId: video.ownerId,
    title: video.title,
    origin: video.origin,
    visibility: video.visibility,
    createdAt: video.createdAt.toISOString(),
  };
}

export async function getVideo(svc: VideosThis, ctx: VideosContext<{ id: string }>): Promise<VideoView> {
  return present(svc, await loadViewable(svc, ctx, ctx.params.id), ctx.meta.user);
}

/** The videos of `ids` the caller may open by id (the single read's rule); the others are left out, unsaid. */
async function viewableByIds(svc: VideosThis, ctx: VideosContext, ids: readonly string[]): Promise<VideoView[]> {
  const videos = await svc.stores.videos.findByIds([...ids]);
  return videos.filter((v) => canView(ctx.meta.user, v)).map((v) => present(svc, v, ctx.meta.user));
}

/** Batch read for other services (search, notifications): only what the caller may see. */
export function getManyVideos(svc: VideosThis, ctx: VideosContext<{ ids: string[] }>): Promise<VideoView[]> {
  return viewableByIds(svc, ctx, ctx.params.ids);
}

/**
 * GET /me/videos?ids=a,b: a creator's dashboard refreshes every row still processing in one call instead of
 * one GET /videos/{id} per row. A /me route: only the caller's own videos (admins included), in any state and
 * visibility, as the single read shows them to their owner; every other id (another user's video, public or
 * not, or an unknown one) is left out the same way, so the answer says nothing about it. The order of `ids`,
 * each once.
 */
export async function getVideosByIds(svc: VideosThis, ctx: VideosContext<{ ids: string }>): Promise<VideoList> {
  const user = requireUser(ctx);
  const ids = [...new Set(ctx.params.ids.split(","))];
  const mine = (await svc.stores.videos.findByIds(ids)).filter((v) => v.ownerId === user.id);
  const byId = new Map(mine.map((v) => [v.id, present(svc, v, user)]));
  return { items: ids.flatMap((id) => byId.get(id) ?? []) };
}

export interface VideoList {
  items: VideoView[];
}

export async function updateVideo(svc: VideosThis, ctx: VideosContext<UpdateVideoParams>): Promise<VideoView> {
  const video = await loadManaged(svc, ctx, ctx.params.id);
  const { id: _id, ...changes } = ctx.params;
  const patch: Partial<VideoDoc> = {};
  if (changes.title !== undefined) {
    patch.title = sanitizePlainText(changes.title);
    if (!patch.title) throw new ValidationError("Title cannot be blank", [{ field: "title", message: "blank" }]);
  }
  if (changes.description !== undefined) patch.description = sanitizePlainText(changes.description);
  if (changes.category !== undefined)
    patch.category = (changes.category ? sanitizePlainText(changes.category) : "") || null;
  if (changes.tags !== undefined) patch.tags = toPlainTags(changes.tags);
  if (changes.visibility !== undefined) patch.visibility = changes.visibility;
  if (Object.keys(patch).length === 0) return present(svc, video, ctx.meta.user);
  const updated = await svc.db.transaction(async () => {
    const next = await svc.stores.videos.updateById(video.id, patch);
    if (!next) return null;
    await svc.publishDurable("video.updated", {
      videoId: next.id,
      channelId: next.channelId,
      ownerId: next.ownerId,
      title: next.title,
      description: next.description,
      category: next.category,
      tags: next.tags,
      visibility: next.visibility,
      status: next.status,
      updatedAt: next.updatedAt.toISOString(),
    });
    return next;
  });
  if (!updated) throw new NotFoundError("Video", video.id);
  return present(svc, updated, ctx.meta.user);
}

/**
 * Deletes the record, its jobs, views and comments, and every stored object
 * (outputs always; the source when it was an upload — a recording's file
 * belongs to the streams service's retention).
 */
export async function removeVideo(
  svc: VideosThis,
  ctx: VideosContext<{ id: string }>,
): Promise<{ id: string; deleted: true }> {
  const video = await loadManaged(svc, ctx, ctx.params.id);
  await deleteVideoRecords(svc, video);
  return { id: video.id, deleted: true };
}

/**
 * Removes a video's rows and stored objects and publishes video.deleted.
 * `withRecording`: also the recording it came from (its owner's account is
 * being deleted; otherwise a recording's file is the streams service's).
 */
export async function deleteVideoRecords(svc: VideosThis, video: VideoDoc, withRecording = false): Promise<void> {
  await svc.db.transaction(async () => {
    await svc.stores.jobs.updateMany(
      { videoId: video.id, state: { $in: ["queued", "running"] } },
      { state: "failed", lastError: "Video deleted", leaseOwner: null, leaseUntil: null },
    );
    await svc.stores.comments.removeMany({ videoId: video.id });
    await svc.stores.views.removeMany({ videoId: video.id });
    await svc.stores.videos.removeById(video.id);
    await svc.publishDurable("video.deleted", {
      videoId: video.id,
      channelId: video.channelId,
      ownerId: video.ownerId,
      deletedAt: new Date().toISOString(),
    });
  });
  await svc.storage.deletePrefix(`vod/${video.id}/`);
  if (video.origin === "upload") await svc.storage.deletePrefix(`uploads/${video.id}/`);
  else if (withRecording && video.sourceKey) await svc.storage.delete(video.sourceKey).catch(() => undefined);
}
