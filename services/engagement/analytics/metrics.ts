/**
 * What analytics counts: every metric, its kind and the scopes it exists in.
 * A counter adds up (chat messages, follows); a gauge keeps sum/count/max of
 * samples (concurrent viewers); a unique counts distinct hashed members.
 */
export const SCOPES = ["channel", "video", "platform"] as const;
export type Scope = (typeof SCOPES)[number];

/** Subject id of platform-wide rows. */
export const PLATFORM = "";

export const METRICS = {
  /** Concurrent viewers of a live channel (realtime samples). */
  viewers: "gauge",
  chat_messages: "counter",
  chatters: "unique",
  follows: "counter",
  unfollows: "counter",
  streams_started: "counter",
  streams_ended: "counter",
  /** Seconds streamed, counted when a stream ends. */
  stream_seconds: "counter",
  video_views: "counter",
  /** Distinct viewers of a video (per day at most: the hash key rotates daily). */
  video_viewers: "unique",
  watch_seconds: "counter",
  comments: "counter",
  new_users: "counter",
  uploads: "counter",
  videos_published: "counter",
  posts_published: "counter",
  tournaments_created: "counter",
  tournaments_started: "counter",
  tournaments_completed: "counter",
  registrations: "counter",
  /** Platform only, computed by the rollups from the channels' viewer rows: channels live per minute. */
  live_channels: "derived",
} as const;

export type Metric = keyof typeof METRICS;
export type MetricKind = (typeof METRICS)[Metric];

export const GAUGES = (Object.keys(METRICS) as Metric[]).filter((m) => METRICS[m] === "gauge");
export const UNIQUES = (Object.keys(METRICS) as Metric[]).filter((m) => METRICS[m] === "unique");

export function isMetric(name: string): name is Metric {
  return Object.prototype.hasOwnProperty.call(METRICS, name);
}
