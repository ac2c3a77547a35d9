import { s, type Schema } from "../../../lib/http/response-schema";
import type { AdminAnalytics, TopChannel, TopVideo } from "./admin-analytics";
import type { ChannelAnalytics, ChannelSummary } from "./channel-analytics";
import type { HeartbeatResult } from "./heartbeat";
import type { SeriesTable } from "./series";
import type { StreamAnalytics } from "./stream-analytics";
import type { RetentionPoint, VideoAnalytics } from "./video-analytics";

/**
 * Response bodies of the analytics routes, typed by the actions' results
 * (analytics.routes.ts). Each read answers JSON, or its series as CSV with
 * `?format=csv`.
 */
const CSV = "text/csv";

const SERIES = s.named(
  "AnalyticsSeries",
  s.object<SeriesTable>()({ time: s.array(s.dateTime()), columns: s.record(s.array(s.nullable(s.number()))) }),
);

const orCsv = <T>(schema: Schema<T>): Schema<T | string> => s.orText(schema, CSV);

const SUMMARY = s.object<ChannelSummary>()({
  days: s.integer(),
  hoursStreamed: s.number(),
  avgViewers: s.nullable(s.number()),
  peakViewers: s.nullable(s.integer()),
  minutesWatchedLive: s.number(),
  chatMessages: s.integer(),
  netFollowers: s.integer(),
  videoViews: s.integer(),
  vodWatchMinutes: s.number(),
});

export const CHANNEL_ANALYTICS = orCsv(
  s.named(
    "ChannelAnalytics",
    s.object<ChannelAnalytics>()({
      channelId: s.string(),
      from: s.dateTime(),
      to: s.dateTime(),
      granularity: s.string(),
      followerCount: s.integer(),
      series: SERIES,
      summary: s.object<ChannelAnalytics["summary"]>()({ last30Days: SUMMARY, last90Days: SUMMARY }),
    }),
  ),
);

export const STREAM_ANALYTICS = orCsv(
  s.named(
    "StreamAnalytics",
    s.object<StreamAnalytics>()({
      sessionId: s.string(),
      channelId: s.string(),
      title: s.string(),
      startedAt: s.dateTime(),
      endedAt: s.nullable(s.dateTime()),
      durationS: s.number(),
      avgViewers: s.nullable(s.number()),
      peakViewers: s.nullable(s.integer()),
      minutesWatched: s.number(),
      chatMessages: s.integer(),
      uniqueChatters: s.nullable(s.integer()),
      newFollowers: s.integer(),
      granularity: s.string(),
      series: SERIES,
    }),
  ),
);

export const VIDEO_ANALYTICS = orCsv(
  s.named(
    "VideoAnalytics",
    s.object<VideoAnalytics>()({
      videoId: s.string(),
      channelId: s.string(),
      title: s.string(),
      durationS: s.nullable(s.number()),
      views: s.integer(),
      watchMinutes: s.number(),
      plays: s.nullable(s.integer()),
      retention: s.nullable(s.array(s.object<RetentionPoint>()({ positionS: s.number(), share: s.number() }))),
      granularity: s.string(),
      series: SERIES,
    }),
  ),
);

export const ADMIN_ANALYTICS = orCsv(
  s.named(
    "AdminAnalytics",
    s.object<AdminAnalytics>()({
      from: s.dateTime(),
      to: s.dateTime(),
      granularity: s.string(),
      totals: s.record(s.number()),
      series: SERIES,
      topChannels: s.array(
        s.object<TopChannel>()({
          channelId: s.string(),
          slug: s.nullable(s.string()),
          title: s.nullable(s.string()),
          viewerMinutes: s.number(),
          peakViewers: s.nullable(s.integer()),
        }),
      ),
      topVideos: s.array(
        s.object<TopVideo>()({ videoId: s.string(), channelId: s.string(), title: s.string(), views: s.integer() }),
      ),
    }),
  ),
);

export const HEARTBEAT = s.object<HeartbeatResult>()({ accepted: s.literal(true), nextInS: s.number() });
