/** A channel's dashboard: followers over time, viewers, chat, VOD views and watch time; last 30/90 days. */
import { callAction } from "../../../lib/contracts";
import type { AnalyticsContext, AnalyticsThis } from "./analytics.context";
import { assertChannelReader } from "./access";
import { DAY_MS, dayOf } from "./buckets";
import { respond } from "./csv-response";
import type { Metric } from "./metrics";
import { measures, readBuckets, resolveRange, round, suppressSmall, table, totals, type SeriesTable } from "./series";
import type { ChannelAnalyticsParams } from "./analytics.params";
import type { CachedRead } from "./rollup-cache";

const METRICS: Metric[] = [
  "viewers",
  "chat_messages",
  "chatters",
  "follows",
  "unfollows",
  "video_views",
  "watch_seconds",
  "stream_seconds",
];

export interface ChannelSummary {
  days: number;
  hoursStreamed: number;
  avgViewers: number | null;
  peakViewers: number | null;
  minutesWatchedLive: number;
  chatMessages: number;
  netFollowers: number;
  videoViews: number;
  vodWatchMinutes: number;
}

export interface ChannelAnalytics {
  channelId: string;
  from: string;
  to: string;
  granularity: string;
  followerCount: number;
  series: SeriesTable;
  summary: { last30Days: ChannelSummary; last90Days: ChannelSummary };
}

async function summary(
  svc: AnalyticsThis,
  channelId: string,
  days: number,
  now: number,
  cached: CachedRead,
): Promise<ChannelSummary> {
  const to = dayOf(now) + DAY_MS;
  const t = await totals(svc.db, "channel", channelId, METRICS, to - days * DAY_MS, to, cached);
  const viewers = t.get("viewers");
  return {
    days,
    hoursStreamed: round((t.get("stream_seconds")?.sum ?? 0) / 3600),
    avgViewers: measures.avgViewers(viewers),
    peakViewers: viewers?.max ?? null,
    minutesWatchedLive: measures.viewerMinutes(viewers),
    chatMessages: t.get("chat_messages")?.sum ?? 0,
    netFollowers: (t.get("follows")?.sum ?? 0) - (t.get("unfollows")?.sum ?? 0),
    videoViews: t.get("video_views")?.sum ?? 0,
    vodWatchMinutes: measures.minutesOf(t.get("watch_seconds")),
  };
}

export async function channelAnalytics(
  svc: AnalyticsThis,
  ctx: AnalyticsContext<ChannelAnalyticsParams>,
): Promise<ChannelAnalytics | string> {
  const channelId = ctx.params.id;
  await assertChannelReader(ctx, channelId);
  const now = Date.now();
  const range = resolveRange(ctx.params, 7 * DAY_MS, now);
  // The panels' reads are independent: run together, the page waits for the slowest, not for their sum.
  const cached = await svc.rollupCache.at();
  const [b, { followerCount }, last30Days, last90Days] = await Promise.all([
    readBuckets(svc.db, "channel", channelId, METRICS, range, cached),
    callAction(ctx, "channels.get", { id: channelId }),
    summary(svc, channelId, 30, now, cached),
    summary(svc, channelId, 90, now, cached),
  ]);
  const series = table(range, {
    avgViewers: [b.get("viewers"), measures.avgViewers],
    peakViewers: [b.get("viewers"), measures.peak],
    viewerMinutes: [b.get("viewers"), measures.viewerMinutes],
    chatMessages: [b.get("chat_messages"), measures.total],
    uniqueChatters: [b.get("chatters"), measures.total],
    follows: [b.get("follows"), measures.total],
    unfollows: [b.get("unfollows"), measures.total],
    videoViews: [b.get("video_views"), measures.total],
    vodWatchMinutes: [b.get("watch_seconds"), measures.minutesOf],
  });
  series.columns.uniqueChatters = suppressSmall(series.columns.uniqueChatters!, svc.policy.minGroupSize);
  // Followers over time: today's count, walked back through the net changes after each bucket.
  const net = series.columns.follows!.map((f, i) => (f ?? 0) - (series.columns.unfollows![i] ?? 0));
  const followers: number[] = new Array<number>(net.length);
  let running = followerCount;
  for (let i = net.length - 1; i >= 0; i--) {
    followers[i] = running;
    running -= net[i]!;
  }
  series.columns.followers = followers;
  const result: ChannelAnalytics = {
    channelId,
    from: new Date(range.from).toISOString(),
    to: new Date(range.to).toISOString(),
    granularity: range.granularity,
    followerCount,
    series,
    summary: { last30Days, last90Days },
  };
  return respond(ctx, `channel-${channelId}`, series, result);
}
