import { ConflictError } from "../../../lib/errors";
import { getConfig } from "../../../lib/config";
import type { VideosContext, VideosThis } from "./videos.context";
import { loadViewable } from "./video-actions";
import { signPlayback, type PlaybackUrls } from "./playback";
import { countView as countViewOnce, pruneViews, viewerKey } from "../../../lib/views/view-window";
import { emitEvent } from "../../../lib/contracts";
import { randomUUID } from "node:crypto";
import { issuePlayId } from "../../../lib/views/play-id";

export interface PlaybackResult extends PlaybackUrls {
  videoId: string;
  /** Whether this request counted as a new view (repeats within the window do not). */
  viewCounted: boolean;
  viewCount: number;
  /** Identifies this playback in the player's watch-progress beats (lib/views/play-id: only viewers allowed to watch get one). */
  playId: string;
}

/**
 * Signed playback URLs for a viewer allowed to watch. Asking for playback is
 * what counts a view: once per viewer per window, decided atomically in the
 * store so concurrent requests from one viewer count once.
 */
export async function playback(svc: VideosThis, ctx: VideosContext<{ id: string }>): Promise<PlaybackResult> {
  const video = await loadViewable(svc, ctx, ctx.params.id);
  if (video.status !== "ready" || !video.masterPlaylistKey) {
    throw new ConflictError(
      video.status === "failed"
        ? `Processing failed: ${video.failureReason ?? "unknown reason"}`
        : "The video is not ready yet",
    );
  }
  const media = getConfig().media;
  const expiresAt = Math.floor(Date.now() / 1000) + media.urlTtlS;
  const urls = signPlayback(svc.playbackSigner, {
    videoId: video.id,
    masterPlaylistKey: video.masterPlaylistKey,
    thumbnailKey: video.thumbnailKey,
    expiresAt,
  });
  const viewer = { userId: ctx.meta.user?.id, clientIp: ctx.meta.clientIp };
  const counted = await countView(svc, video.id, viewer);
  if (counted) announceView(svc, video.id, video.channelId, viewerKey(viewer, svc.viewerSalt));
  const viewCount = counted
    ? ((await svc.stores.videos.increment(video.id, "viewCount", 1))?.viewCount ?? video.viewCount + 1)
    : video.viewCount;
  const playId = issuePlayId(video.id, expiresAt, media.urlSecret);
  return { ...urls, videoId: video.id, viewCounted: counted, viewCount, playId };
}

/** Analytics counts views and (hashed, per day) viewers from this; load-balanced to one analytics node. */
function announceView(svc: VideosThis, videoId: string, channelId: string, key: string | null): void {
  if (!key) return;
  const view = { viewId: randomUUID(), videoId, channelId, viewerKey: key, viewedAt: new Date().toISOString() };
  void emitEvent(svc.broker, "video.viewed", view).catch(() => undefined);
}

/** The shared rule (lib/views): once per viewer per window. */
export function countView(
  svc: VideosThis,
  videoId: string,
  viewer: { userId?: string; clientIp?: string },
  now = new Date(),
): Promise<boolean> {
  return countViewOnce(
    svc.stores.views,
    (id, key, at) => ({ id, videoId, viewerKey: key, lastCountedAt: at }),
    videoId,
    viewer,
    { salt: svc.viewerSalt, windowMs: svc.settings.viewWindowMs },
    now,
  );
}

/**
 * View records only matter inside their window; older ones are dropped so the
 * table holds recent viewers, not every viewer ever (a returning viewer's
 * next view counts either way).
 */
export function pruneExpiredViews(svc: VideosThis, now = new Date()): Promise<number> {
  return pruneViews(svc.stores.views, svc.settings.viewWindowMs, now);
}
