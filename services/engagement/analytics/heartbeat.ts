/**
 * The player's watch-progress heartbeat: where the play is and how many
 * seconds it watched since the last beat. Rate-limited per viewer and video
 * (one beat per ANALYTICS_HEARTBEAT_MIN_INTERVAL_S), clamped to what time
 * allows, buffered like any plain event. The play is a keyed hash of the
 * viewer and the play id: nothing stored names the viewer.
 *
 * Who may beat is the videos service's decision, not ours: the play id must
 * be one its playback grant issued for this video (lib/views/play-id), which
 * it gives only to viewers allowed to watch (a private or unready video:
 * its owner and admins). Analytics' own video rows know nothing of
 * visibility, and a check here would be a second, drifting copy of canView.
 */
import { randomUUID } from "node:crypto";
import { checkLimit } from "../../../lib/rate-limit";
import { ForbiddenError, NotFoundError, RateLimitedError, ValidationError } from "../../../lib/errors";
import { verifyPlayId } from "../../../lib/views/play-id";
import { viewerKey } from "../../../lib/views/view-window";
import type { AnalyticsContext, AnalyticsThis } from "./analytics.context";
import type { HeartbeatParams } from "./analytics.params";
import { PLATFORM } from "./metrics";

export interface HeartbeatResult {
  accepted: true;
  /** Seconds the player should wait before the next beat. */
  nextInS: number;
}

export async function heartbeat(svc: AnalyticsThis, ctx: AnalyticsContext<HeartbeatParams>): Promise<HeartbeatResult> {
  const { id: videoId, playId } = ctx.params;
  const identity = viewerKey({ userId: ctx.meta.user?.id, clientIp: ctx.meta.clientIp }, svc.viewerSalt);
  if (!identity) throw new ValidationError("Watch progress needs a signed-in viewer or a client address");
  const play = verifyPlayId(playId, videoId, svc.viewerSalt);
  if (play !== "ok")
    throw new ForbiddenError(
      play === "expired"
        ? "This play id has expired: ask for playback again"
        : "Watch progress needs the play id this video's playback returned",
    );
  const video = await svc.stores.videos.findById(videoId);
  if (!video || video.deleted) throw new NotFoundError("Video not found");
  const intervalS = svc.policy.heartbeatMinIntervalS;
  const limit = await checkLimit(svc.heartbeatLimits, `${identity}:${videoId}`, 1, intervalS * 1000);
  if (!limit.allowed) throw new RateLimitedError(limit.retryAfterS);
  const duration = video.durationS ?? Number.POSITIVE_INFINITY;
  // At most the time since the last allowed beat could have been watched (twice the interval, for a late beat).
  const watchedS = Math.min(ctx.params.watchedS, Math.max(intervalS * 2, 30), duration);
  const positionS = Math.min(ctx.params.positionS, duration);
  const at = Date.now();
  svc.buffer.add([
    {
      id: `hb:${randomUUID()}`,
      at,
      facts: [
        { scope: "video", subjectId: videoId, metric: "watch_seconds", value: watchedS },
        { scope: "channel", subjectId: video.channelId, metric: "watch_seconds", value: watchedS },
        { scope: "platform", subjectId: PLATFORM, metric: "watch_seconds", value: watchedS },
      ],
      play: { videoId, play: await svc.viewerKeys.hash(`${identity}\n${playId}`, at), positionS, watchedS },
    },
  ]);
  return { accepted: true, nextInS: intervalS };
}
