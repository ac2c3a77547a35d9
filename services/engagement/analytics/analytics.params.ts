/** fastest-validator schemas for every analytics action, in one place for the service and its routes. */
import { ID } from "../../../lib/validation";
import { GRANULARITIES, type Granularity } from "./buckets";

const TIME = { type: "string", max: 40, optional: true } as const;
const RANGE = {
  from: TIME,
  to: TIME,
  granularity: { type: "enum", values: [...GRANULARITIES], optional: true },
  format: { type: "enum", values: ["json", "csv"], optional: true },
} as const;

export interface RangeQuery {
  from?: string;
  to?: string;
  granularity?: Granularity;
  format?: "json" | "csv";
}

export const CHANNEL_ANALYTICS = { id: ID, ...RANGE, $$strict: "remove" } as const;
export interface ChannelAnalyticsParams extends RangeQuery {
  id: string;
}

export const STREAM_ANALYTICS = {
  id: ID,
  granularity: RANGE.granularity,
  format: RANGE.format,
  $$strict: "remove",
} as const;
export interface StreamAnalyticsParams {
  id: string;
  granularity?: Granularity;
  format?: "json" | "csv";
}

export const VIDEO_ANALYTICS = CHANNEL_ANALYTICS;
export type VideoAnalyticsParams = ChannelAnalyticsParams;

export const ADMIN_ANALYTICS = { ...RANGE, $$strict: "remove" } as const;
export type AdminAnalyticsParams = RangeQuery;

export const HEARTBEAT = {
  id: ID,
  /** The play id GET /videos/:id/playback returned (lib/views/play-id): beats of one play share it. */
  playId: { type: "string", min: 8, max: 96, pattern: /^[A-Za-z0-9_.-]+$/ },
  positionS: { type: "number", min: 0, max: 86_400 * 2 },
  watchedS: { type: "number", min: 0, max: 3600 },
  $$strict: "remove",
} as const;
export interface HeartbeatParams {
  id: string;
  playId: string;
  positionS: number;
  watchedS: number;
}
