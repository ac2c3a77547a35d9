import type { Service, ServiceSettingSchema } from "moleculer";
import type { ArenaContext } from "../../../lib/contracts";
import type { RateLimitStore } from "../../../lib/rate-limit";
import type { DbHandle, EntityStore } from "../../../mixins/db";
import type { StreamSessionDoc, VideoDimDoc } from "./analytics.entities";
import type { DurableEventsMethods } from "../../../mixins/durable-events";
import type { IngestBuffer } from "./ingest-buffer";
import type { ViewerKeys } from "./viewer-keys";
import type { PartitionKeeper } from "./partitions";
import type { RollupCache } from "./rollup-cache";

export interface AnalyticsPolicy {
  /** Days of raw minute buckets kept (whole partitions dropped after). Default: ANALYTICS_RAW_RETENTION_DAYS. */
  rawRetentionDays: number;
  /** Days of hourly and daily rollups kept. Default: ANALYTICS_ROLLUP_RETENTION_DAYS. */
  rollupRetentionDays: number;
  /** Seconds between rollup runs (0: only when asked, tests). Default: ANALYTICS_ROLLUP_INTERVAL_S. */
  rollupIntervalS: number;
  /** Daily partitions created ahead of today. Default: ANALYTICS_PARTITIONS_AHEAD_DAYS. */
  partitionsAheadDays: number;
  /** Breakdowns with fewer distinct people than this are not shown. Default: ANALYTICS_MIN_GROUP_SIZE. */
  minGroupSize: number;
  /** A viewer's watch-progress heartbeats closer than this are refused (per video). Default: ANALYTICS_HEARTBEAT_MIN_INTERVAL_S. */
  heartbeatMinIntervalS: number;
  /** Plain events are buffered and written in one batch at most this often (ms). */
  flushIntervalMs: number;
  /** A buffer this full is written at once. */
  flushMaxEvents: number;
  /** Full batches written at the same time, each on its own connection (1 on PGlite: one session). */
  flushConcurrency: number;
}

/** Service settings: any policy value left out comes from the config (lib/config, ANALYTICS_*). */
export interface AnalyticsSettings extends ServiceSettingSchema, Partial<AnalyticsPolicy> {}

/** `this` inside the analytics service. */
export interface AnalyticsThis extends Service<AnalyticsSettings>, DurableEventsMethods {
  /** The settings with the config defaults filled in (created()). */
  policy: AnalyticsPolicy;
  db: DbHandle;
  stores: { streamSessions: EntityStore<StreamSessionDoc>; videos: EntityStore<VideoDimDoc> };
  buffer: IngestBuffer;
  viewerKeys: ViewerKeys;
  partitions: PartitionKeeper;
  /** Dashboard reads of the rollups, keyed by the rollup generation (rollup-cache.ts). */
  rollupCache: RollupCache;
  heartbeatLimits: RateLimitStore;
  /** MEDIA_URL_SECRET: salt of lib/views viewer keys for anonymous viewers, and the key play ids are checked with (lib/views/play-id). */
  viewerSalt: string;
  maintenanceTimer?: NodeJS.Timeout;
}

/** The context of an action (lib/contracts: the one Arena context type). */
export type AnalyticsContext<P = unknown> = ArenaContext<P>;
