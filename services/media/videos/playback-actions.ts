import { ConflictError } from "../../../lib/errors";
import { getConfig } from "../../../lib/config";
import type { VideosContext, VideosThis } from "./videos.context";
import { loadViewable } from "./video-actions";
import { signPlayback, type PlaybackUrls } from "./playback";
import { countView as countViewOnce, pruneViews } from "../../../lib/views/view-window";

export interface PlaybackResult extends PlaybackUrls {
  videoId: string;
  /** Whether this request counted as a new view (repeats within the window do not). */
  viewCounted: boolean;
  viewCount: number;
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
  const expiresAt = Math.floor(Date.now() / 1000) + getConfig().media.urlTtlS;
  const urls = signPlayback(svc.playbackSigner, {
    videoId: video.id,
    masterPlaylistKey: video.masterPlaylistKey,
    thumbnailKey: video.thumbnailKey,
    expiresAt,
  });
  const counted = await countView(svc, video.id, { userId: ctx.meta.user?.id, clientIp: ctx.meta.clientIp });
  const viewCount = counted
    ? ((await svc.stores.videos.increment(video.id, "viewCount", 1))?.viewCount ?? video.viewCount + 1)
    : video.viewCount;
  return { ...urls, videoId: video.id, viewCounted: counted, viewCount };
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
