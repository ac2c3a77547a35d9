/**
 * Clips: a logged-in viewer clips 5–60 s of a live stream (the last
 * `durationS` seconds) or of a VOD (from `startS`); the clip is cut in the
 * background (clip-worker.ts) and its status polled. Anyone may watch a
 * ready clip (a play counts once per viewer per window); the clipper, the
 * channel's owner and moderators, and admins may delete it.
 */
import { requireUser } from "../../../lib/auth/ownership";
import { broadcastEvent, callAction } from "../../../lib/contracts";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../../../lib/errors";
import { markCreated } from "../../../lib/http/response-meta";
import { roundedExpiry, signSingleObject } from "../../../lib/media/playback-signer";
import { decodeCursor, encodeCursor, pageLimit, type CursorPage, type CursorPageParams } from "../../../lib/pagination";
import { toPlainText } from "../../../lib/text/plain-text";
import { countView } from "../../../lib/views/view-window";
import { channelRole, isChannelStaff, spendBudget } from "./clip-access";
import { CLIP_URL_TTL_S, toClipView } from "./clip-view";
import type { ClipsContext, ClipsThis } from "./clips.context";
import type { ClipDoc, ClipPlayback, ClipView } from "./clip.types";

export interface CreateClipParams {
  channelId?: string;
  videoId?: string;
  startS?: number;
  durationS: number;
  title: string;
}

export interface ListClipsParams extends CursorPageParams {
  channelId?: string;
}

type SourceFields = Pick<ClipDoc, "channelId" | "sourceKind" | "sessionId" | "videoId" | "sourceKey" | "startS">;

async function liveSource(ctx: ClipsContext, channelId: string): Promise<SourceFields> {
  const live = await callAction(ctx, "streams.liveRecording", { channelId }).catch((err: { code?: number }) => {
    if (err.code === 404) throw new ConflictError("The channel is not live");
    throw err;
  });
  const last = live.recordingKeys[live.recordingKeys.length - 1];
  if (!last) throw new ConflictError("This live stream cannot be clipped (no recording is kept while live)");
  return { channelId, sourceKind: "live", sessionId: live.sessionId, videoId: null, sourceKey: last, startS: null };
}

async function vodSource(ctx: ClipsContext, p: CreateClipParams & { videoId: string }): Promise<SourceFields> {
  const video = await callAction(ctx, "videos.clipSource", { id: p.videoId });
  if (video.visibility === "private") throw new ForbiddenError("Private videos cannot be clipped");
  const startS = p.startS ?? 0;
  if (startS + p.durationS > video.durationS + 0.5)
    throw new ValidationError("The clip ends after the video", [
      { field: "startS", message: `The video is ${video.durationS} s long` },
    ]);
  return {
    channelId: video.channelId,
    sourceKind: "vod",
    sessionId: video.liveSessionId,
    videoId: video.videoId,
    sourceKey: video.sourceKey,
    startS,
  };
}

export async function createClip(svc: ClipsThis, ctx: ClipsContext<CreateClipParams>): Promise<ClipView> {
  const user = requireUser(ctx);
  const p = ctx.params;
  if (Boolean(p.channelId) === Boolean(p.videoId))
    throw new ValidationError("Clip either a live channel or a video", [
      { field: "channelId", message: "Give channelId (live) or videoId (VOD), not both" },
    ]);
  const title = toPlainText(p.title).trim();
  if (!title) throw new ValidationError("Title is empty", [{ field: "title", message: "Give the clip a title" }]);
  await spendBudget(svc, `clip:${user.id}`, svc.settings.createRateLimit);
  const source = p.videoId ? await vodSource(ctx, { ...p, videoId: p.videoId }) : await liveSource(ctx, p.channelId!);
  const clip = await svc.stores.clips.insert({
    ...source,
    ownerId: user.id,
    ownerName: user.username,
    title: title.slice(0, 100),
    durationS: p.durationS,
    requestedAt: new Date(),
    status: "queued",
    method: null,
    storageKey: null,
    thumbnailKey: null,
    sizeBytes: null,
    viewCount: 0,
    failureReason: null,
    attempts: 0,
    leaseOwner: null,
    leaseUntil: null,
    finishedAt: null,
  });
  svc.worker.kick();
  await broadcastEvent(svc.broker, "clips.job.queued", { clipId: clip.id });
  markCreated(ctx, `/clips/${clip.id}`);
  return toClipView(svc, clip);
}

async function loadClip(svc: ClipsThis, id: string): Promise<ClipDoc> {
  const clip = await svc.stores.clips.findById(id);
  if (!clip) throw new NotFoundError("Clip", id);
  return clip;
}

/** A ready clip to anyone; an unfinished or failed one only to whoever clipped it (and admins). */
async function loadVisible(svc: ClipsThis, ctx: ClipsContext, id: string): Promise<ClipDoc> {
  const clip = await loadClip(svc, id);
  const user = ctx.meta.user;
  if (clip.status !== "ready" && user?.id !== clip.ownerId && !user?.roles.includes("admin"))
    throw new NotFoundError("Clip", id);
  return clip;
}

export async function getClip(svc: ClipsThis, ctx: ClipsContext<{ id: string }>): Promise<ClipView> {
  return toClipView(svc, await loadVisible(svc, ctx, ctx.params.id));
}

/** Ready clips, newest first (one channel's, or all). */
export async function listClips(svc: ClipsThis, ctx: ClipsContext<ListClipsParams>): Promise<CursorPage<ClipView>> {
  const limit = pageLimit(ctx.params);
  const values: unknown[] = [];
  const where = ["status = 'ready'"];
  if (ctx.params.channelId) {
    values.push(ctx.params.channelId);
    where.push(`channel_id = $${values.length}`);
  }
  if (ctx.params.cursor) {
    const [at, id] = decodeCursor(ctx.params.cursor, 2);
    values.push(new Date(Number(at)), String(id));
    where.push(`(created_at, id) < ($${values.length - 1}, $${values.length})`);
  }
  values.push(limit + 1);
  const rows = await svc.db.query<{ id: string }>(
    `SELECT id FROM clips WHERE ${where.join(" AND ")} ORDER BY created_at DESC, id DESC LIMIT $${values.length}`,
    values,
  );
  const byId = new Map((await svc.stores.clips.findByIds(rows.map((r) => r.id))).map((c) => [c.id, c]));
  const docs = rows.map((r) => byId.get(r.id)).filter((c): c is ClipDoc => c !== undefined);
  const page = docs.slice(0, limit);
  const last = page[page.length - 1];
  return {
    items: page.map((c) => toClipView(svc, c)),
    nextCursor: docs.length > limit && last ? encodeCursor([new Date(last.createdAt).getTime(), last.id]) : null,
  };
}

/** A signed URL of the MP4; counts a view once per viewer per window. */
export async function playClip(svc: ClipsThis, ctx: ClipsContext<{ id: string }>): Promise<ClipPlayback> {
  const clip = await loadVisible(svc, ctx, ctx.params.id);
  if (clip.status !== "ready" || !clip.storageKey)
    throw new ConflictError(
      clip.status === "failed" ? `The clip failed: ${clip.failureReason}` : "The clip is not ready yet",
    );
  const expiresAt = roundedExpiry(Date.now(), CLIP_URL_TTL_S);
  const counted = await countView(
    svc.stores.views,
    (id, key, at) => ({ id, clipId: clip.id, viewerKey: key, lastCountedAt: at }),
    clip.id,
    { userId: ctx.meta.user?.id, clientIp: ctx.meta.clientIp },
    { salt: svc.viewerSalt, windowMs: svc.settings.viewWindowMs },
  );
  const viewCount = counted
    ? ((await svc.stores.clips.increment(clip.id, "viewCount", 1))?.viewCount ?? clip.viewCount + 1)
    : clip.viewCount;
  return {
    clipId: clip.id,
    url: signSingleObject(svc.signer, clip.storageKey, expiresAt),
    thumbnailUrl: clip.thumbnailKey ? signSingleObject(svc.signer, clip.thumbnailKey, expiresAt) : null,
    expiresAt: new Date(expiresAt * 1000).toISOString(),
    viewCounted: counted,
    viewCount,
  };
}

export async function removeClip(
  svc: ClipsThis,
  ctx: ClipsContext<{ id: string }>,
): Promise<{ id: string; deleted: true }> {
  const clip = await loadClip(svc, ctx.params.id);
  const { user, role } = await channelRole(ctx, clip.channelId);
  if (user.id !== clip.ownerId && !isChannelStaff(role))
    throw new ForbiddenError("Only the clipper, the channel's owner and moderators may delete a clip");
  await svc.db.transaction(async () => {
    await svc.stores.clips.removeById(clip.id);
    await svc.stores.views.removeMany({ clipId: clip.id });
    await svc.publishDurable("clip.deleted", {
      clipId: clip.id,
      channelId: clip.channelId,
      ownerId: clip.ownerId,
      deletedBy: user.id,
      deletedAt: new Date().toISOString(),
    });
  });
  // A worker cutting it now finds the row gone and drops what it stored.
  await svc.storage.deletePrefix(`clips/${clip.id}/`);
  return { id: clip.id, deleted: true };
}
