/** The admin overview: platform series and totals, top channels and videos. */
import { callAction } from "../../../lib/contracts";
import type { AnalyticsContext, AnalyticsThis } from "./analytics.context";
import { assertAdmin } from "./access";
import { DAY_MS, HOUR_MS, ceilTo, floorTo } from "./buckets";
import { respond } from "./csv-response";
import { PLATFORM, type Metric } from "./metrics";
import { measures, readBuckets, resolveRange, round, table, type Range, type SeriesTable } from "./series";
import type { AdminAnalyticsParams } from "./analytics.params";
import { uncached, type CachedRead } from "./rollup-cache";
import type { DbHandle } from "../../../mixins/db";

const METRICS: Metric[] = [
  "viewers",
  "live_channels",
  "new_users",
  "uploads",
  "chat_messages",
  "video_views",
  "follows",
  "streams_started",
  "watch_seconds",
];
const TOP = 10;

export interface TopChannel {
  channelId: string;
  slug: string | null;
  title: string | null;
  viewerMinutes: number;
  peakViewers: number | null;
}

export interface TopVideo {
  videoId: string;
  channelId: string;
  title: string;
  views: number;
}

export interface AdminAnalytics {
  from: string;
  to: string;
  granularity: string;
  totals: Record<string, number>;
  series: SeriesTable;
  topChannels: TopChannel[];
  topVideos: TopVideo[];
}

/**
 * The rows a top list adds up over the range: whole UTC days from the day
 * rollups, the hours before the first and after the last whole day from the
 * hour rollups (30 days of 1,000 channels: about 30k + 47k rows instead of
 * 720k). A day rollup is the sum and max of its hours, written in the same
 * run, so the figures are those of the hours. `$1`..`$4` are bound by
 * `spanBinds`; `select` names the columns.
 */
function rollupRows(select: string, where: string): string {
  return `SELECT ${select} FROM hour_rollups r WHERE ${where} AND ((r.bucket >= $1 AND r.bucket < $2) OR (r.bucket >= $3 AND r.bucket < $4))
          UNION ALL
          SELECT ${select} FROM day_rollups r WHERE ${where} AND r.bucket >= $2 AND r.bucket < $3`;
}

/** [from, firstDay, lastDay, to]: hours [from, firstDay) and [lastDay, to), days [firstDay, lastDay). */
function spanBinds(range: Range): [Date, Date, Date, Date] {
  if (range.granularity === "day") {
    const to = ceilTo(range.to, DAY_MS);
    return [new Date(range.from), new Date(range.from), new Date(to), new Date(to)];
  }
  const to = ceilTo(range.to, HOUR_MS);
  const firstDay = ceilTo(range.from, DAY_MS);
  const lastDay = floorTo(to, DAY_MS);
  if (firstDay >= lastDay) return [new Date(range.from), new Date(to), new Date(to), new Date(to)];
  return [new Date(range.from), new Date(firstDay), new Date(lastDay), new Date(to)];
}

export async function adminAnalytics(
  svc: AnalyticsThis,
  ctx: AnalyticsContext<AdminAnalyticsParams>,
): Promise<AdminAnalytics | string> {
  assertAdmin(ctx);
  const range = resolveRange({ granularity: "hour", ...ctx.params }, 7 * DAY_MS);
  // Platform viewers and live channels only exist as rollups (derived from the channels' minutes).
  const read = range.granularity === "minute" ? { ...range, granularity: "hour" as const } : range;
  // The panels' reads are independent: run together, the page waits for the slowest, not for their sum.
  const cached = await svc.rollupCache.at();
  const [b, topChannelRows, topVideoRows] = await Promise.all([
    readBuckets(svc.db, "platform", PLATFORM, METRICS, read, cached),
    topChannels(svc, ctx, read, cached),
    topVideos(svc, read),
  ]);
  const series = table(read, {
    concurrentViewers: [b.get("viewers"), (v) => (v ? round(v.avgSum / (read.granularity === "day" ? 1440 : 60)) : 0)],
    peakConcurrentViewers: [b.get("viewers"), measures.peak],
    liveChannels: [b.get("live_channels"), (v) => (v ? round(v.avgSum / (read.granularity === "day" ? 1440 : 60)) : 0)],
    newUsers: [b.get("new_users"), measures.total],
    uploads: [b.get("uploads"), measures.total],
    chatMessages: [b.get("chat_messages"), measures.total],
    videoViews: [b.get("video_views"), measures.total],
    follows: [b.get("follows"), measures.total],
    streamsStarted: [b.get("streams_started"), measures.total],
    vodWatchMinutes: [b.get("watch_seconds"), measures.minutesOf],
  });
  const sum = (m: Metric) => [...(b.get(m)?.values() ?? [])].reduce((s, v) => s + v.sum, 0);
  const totals = {
    viewerMinutes: round([...(b.get("viewers")?.values() ?? [])].reduce((s, v) => s + v.avgSum, 0)),
    newUsers: sum("new_users"),
    uploads: sum("uploads"),
    chatMessages: sum("chat_messages"),
    videoViews: sum("video_views"),
    follows: sum("follows"),
    streamsStarted: sum("streams_started"),
  };
  const result: AdminAnalytics = {
    from: new Date(read.from).toISOString(),
    to: new Date(read.to).toISOString(),
    granularity: read.granularity,
    totals,
    series,
    topChannels: topChannelRows,
    topVideos: topVideoRows,
  };
  return respond(ctx, "platform", series, result);
}

/** The top channels' rows (ids, viewer-minutes, peaks) over the range; bench:analytics times this read. */
export function readTopChannels(
  db: DbHandle,
  range: Range,
  minGroupSize: number,
  cached: CachedRead = uncached,
): Promise<Array<{ subject_id: string; viewer_minutes: number; peak: number | null }>> {
  const spans = spanBinds(range);
  return cached(`top-channels|${spans.map((d) => d.getTime()).join(",")}|${minGroupSize}`, () =>
    db.query<{ subject_id: string; viewer_minutes: number; peak: number | null }>(
      `SELECT subject_id, sum(avg_sum) AS viewer_minutes, max(max) AS peak FROM (
         ${rollupRows("r.subject_id, r.avg_sum, r.max", "r.scope = 'channel' AND r.metric = 'viewers'")}
       ) r GROUP BY subject_id HAVING max(max) >= $5 ORDER BY viewer_minutes DESC, subject_id LIMIT $6`,
      [...spans, minGroupSize, TOP],
    ),
  );
}

/**
 * Channels by viewer-minutes over the range. A channel whose peak audience
 * is under the minimum group size is left out: a ranking of tiny audiences
 * says something about the few people in them.
 */
async function topChannels(
  svc: AnalyticsThis,
  ctx: AnalyticsContext,
  range: Range,
  cached: CachedRead,
): Promise<TopChannel[]> {
  const rows = await readTopChannels(svc.db, range, svc.policy.minGroupSize, cached);
  if (rows.length === 0) return [];
  const channels = await callAction(ctx, "channels.getMany", { ids: rows.map((r) => r.subject_id) });
  const byId = new Map(channels.map((c) => [c.id, c]));
  return rows.map((r) => ({
    channelId: r.subject_id,
    slug: byId.get(r.subject_id)?.slug ?? null,
    title: byId.get(r.subject_id)?.title ?? null,
    viewerMinutes: round(Number(r.viewer_minutes)),
    peakViewers: r.peak === null ? null : Number(r.peak),
  }));
}

/** Videos by views over the range (at least the minimum group size of views). */
async function topVideos(svc: AnalyticsThis, range: Range): Promise<TopVideo[]> {
  const rows = await svc.db.query<{
    subject_id: string;
    views: number;
    channel_id: string | null;
    title: string | null;
  }>(
    // Not cached: a deleted video leaves the list at once (the videos dimension is not a rollup).
    `SELECT r.subject_id, sum(r.sum) AS views, v.channel_id, v.title FROM (
       ${rollupRows("r.subject_id, r.sum", "r.scope = 'video' AND r.metric = 'video_views'")}
     ) r
     LEFT JOIN videos v ON v.id = r.subject_id
     WHERE NOT coalesce(v.deleted, false)
     GROUP BY r.subject_id, v.channel_id, v.title HAVING sum(r.sum) >= $5 ORDER BY views DESC, r.subject_id LIMIT $6`,
    [...spanBinds(range), svc.policy.minGroupSize, TOP],
  );
  return rows.map((r) => ({
    videoId: r.subject_id,
    channelId: r.channel_id ?? "",
    title: r.title ?? "",
    views: Number(r.views),
  }));
}
