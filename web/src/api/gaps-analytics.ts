/**
 * Response bodies of the analytics service until the OpenAPI document
 * declares them; merged into ResponseGaps (gaps.ts). Each mirrors the
 * action's result type (services/engagement/analytics).
 */
export interface SeriesTable {
  time: string[];
  columns: Record<string, Array<number | null>>;
}

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

export interface AdminAnalytics {
  from: string;
  to: string;
  granularity: string;
  totals: Record<string, number>;
  series: SeriesTable;
  topChannels: Array<{
    channelId: string;
    slug: string | null;
    title: string | null;
    viewerMinutes: number;
    peakViewers: number | null;
  }>;
  topVideos: Array<{ videoId: string; channelId: string; title: string; views: number }>;
}

export interface AnalyticsGaps {
  "get /api/v1/channels/{id}/analytics": ChannelAnalytics;
  "get /api/v1/admin/analytics": AdminAnalytics;
}
