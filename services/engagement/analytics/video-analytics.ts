/** One video: views and watch time over time, daily distinct viewers, and the retention curve. */
import { NotFoundError } from "../../../lib/errors";
import type { AnalyticsContext, AnalyticsThis } from "./analytics.context";
import { assertChannelReader } from "./access";
import { DAY_MS } from "./buckets";
import { respond } from "./csv-response";
import type { Metric } from "./metrics";
import { measures, readBuckets, resolveRange, round, suppressSmall, table, type SeriesTable } from "./series";
import type { VideoAnalyticsParams } from "./analytics.params";

const METRICS: Metric[] = ["video_views", "video_viewers", "watch_seconds", "comments"];
/** Points of the retention curve: every 5% of the video. */
const CURVE_STEPS = 20;

export interface RetentionPoint {
  /** Position in the video, seconds. */
  positionS: number;
  /** Share of plays that reached it (0..1). */
  share: number;
}

export interface VideoAnalytics {
  videoId: string;
  channelId: string;
  title: string;
  durationS: number | null;
  views: number;
  watchMinutes: number;
  /** Plays heard from by heartbeat in the range. */
  plays: number | null;
  /** null when there are fewer plays than the minimum group size (or the duration is unknown). */
  retention: RetentionPoint[] | null;
  granularity: string;
  series: SeriesTable;
}

export async function videoAnalytics(
  svc: AnalyticsThis,
  ctx: AnalyticsContext<VideoAnalyticsParams>,
): Promise<VideoAnalytics | string> {
  const video = await svc.stores.videos.findById(ctx.params.id);
  if (!video || video.deleted) throw new NotFoundError("Video not found");
  await assertChannelReader(ctx, video.channelId);
  const range = resolveRange(ctx.params, 30 * DAY_MS);
  const b = await readBuckets(svc.db, "video", video.id, METRICS, range, await svc.rollupCache.at());
  const series = table(range, {
    views: [b.get("video_views"), measures.total],
    uniqueViewers: [b.get("video_viewers"), measures.total],
    watchMinutes: [b.get("watch_seconds"), measures.minutesOf],
    comments: [b.get("comments"), measures.total],
  });
  series.columns.uniqueViewers = suppressSmall(series.columns.uniqueViewers!, svc.policy.minGroupSize);
  const sum = (m: Metric) => [...(b.get(m)?.values() ?? [])].reduce((s, v) => s + v.sum, 0);
  const { plays, retention } = await retentionCurve(svc, video.id, video.durationS, range.from, range.to);
  const result: VideoAnalytics = {
    videoId: video.id,
    channelId: video.channelId,
    title: video.title,
    durationS: video.durationS,
    views: sum("video_views"),
    watchMinutes: round(sum("watch_seconds") / 60),
    plays: plays > 0 && plays < svc.policy.minGroupSize ? null : plays,
    retention,
    granularity: range.granularity,
    series,
  };
  return respond(ctx, `video-${video.id}`, series, result);
}

/** Share of plays whose farthest point reached each 5% of the video (plays of the range's days). */
async function retentionCurve(
  svc: AnalyticsThis,
  videoId: string,
  durationS: number | null,
  from: number,
  to: number,
): Promise<{ plays: number; retention: RetentionPoint[] | null }> {
  const positions = Array.from({ length: CURVE_STEPS + 1 }, (_, i) => ((durationS ?? 0) * i) / CURVE_STEPS);
  const rows = await svc.db.query<{ i: string; plays: string; reached: string }>(
    `SELECT u.i, count(*) AS plays, count(*) FILTER (WHERE p.max_position_s >= u.pos) AS reached
     FROM unnest($4::float8[]) WITH ORDINALITY AS u(pos, i)
     CROSS JOIN video_plays p
     WHERE p.video_id = $1 AND p.day >= $2 AND p.day < $3
     GROUP BY u.i ORDER BY u.i`,
    [videoId, new Date(Math.floor(from / DAY_MS) * DAY_MS), new Date(to), positions],
  );
  const plays = Number(rows[0]?.plays ?? 0);
  if (!durationS || plays < Math.max(1, svc.policy.minGroupSize)) return { plays, retention: null };
  return {
    plays,
    retention: positions.map((positionS, i) => ({
      positionS: round(positionS, 1),
      share: round(Number(rows[i]?.reached ?? 0) / plays, 4),
    })),
  };
}
