/**
 * The actions the analytics service offers (name → params and result), for
 * the gateway through `callAction`; analytics.service.ts is checked against
 * it with `satisfies ServiceActions<"analytics", AnalyticsThis>`. With
 * `format: "csv"` a read returns the series as text/csv instead.
 */
import type { AdminAnalytics } from "./admin-analytics";
import type {
  AdminAnalyticsParams,
  ChannelAnalyticsParams,
  HeartbeatParams,
  StreamAnalyticsParams,
  VideoAnalyticsParams,
} from "./analytics.params";
import type { ChannelAnalytics } from "./channel-analytics";
import type { HeartbeatResult } from "./heartbeat";
import type { StreamAnalytics } from "./stream-analytics";
import type { VideoAnalytics } from "./video-analytics";

declare module "../../../lib/contracts/actions" {
  interface ActionMap {
    "analytics.channel": { params: ChannelAnalyticsParams; result: ChannelAnalytics | string };
    "analytics.stream": { params: StreamAnalyticsParams; result: StreamAnalytics | string };
    "analytics.video": { params: VideoAnalyticsParams; result: VideoAnalytics | string };
    "analytics.admin": { params: AdminAnalyticsParams; result: AdminAnalytics | string };
    "analytics.heartbeat": { params: HeartbeatParams; result: HeartbeatResult };
  }
}
