/**
 * analytics: platform metrics, creator dashboards and the admin overview,
 * from durable and plain events only (never another service's tables).
 * Raw minute buckets in daily partitions, hourly and daily rollups kept
 * incrementally, unique counts over a keyed hash whose key rotates daily.
 * Domain logic lives in the neighbouring files; this file wires.
 */
import type { Service, ServiceSchema } from "moleculer";
import { getConfig } from "../../../lib/config";
import { createRateLimitStore } from "../../../lib/rate-limit";
import { DbMixin } from "../../../mixins/db";
import { DurableEventsMixin } from "../../../mixins/durable-events";
import type { AnalyticsSettings, AnalyticsThis } from "./analytics.context";
import { ANALYTICS_DB } from "./analytics.entities";
import { analyticsChannels, analyticsEvents } from "./consumers";
import { ingest } from "./ingest";
import { IngestBuffer } from "./ingest-buffer";
import { housekeeping, startMaintenance, stopMaintenance } from "./maintenance";
import { PartitionKeeper } from "./partitions";
import { RollupCache } from "./rollup-cache";
import { ViewerKeys } from "./viewer-keys";
import type { ServiceActions } from "../../../lib/contracts";
import { adminAnalytics } from "./admin-analytics";
import { channelAnalytics } from "./channel-analytics";
import { heartbeat } from "./heartbeat";
import { streamAnalytics } from "./stream-analytics";
import { videoAnalytics } from "./video-analytics";
import * as P from "./analytics.params";
import "./analytics.contract";

export type { AnalyticsSettings, AnalyticsThis } from "./analytics.context";

const AnalyticsService: ServiceSchema<AnalyticsSettings> = {
  name: "analytics",
  mixins: [DbMixin(ANALYTICS_DB), DurableEventsMixin()],

  settings: {},

  actions: {
    /** A channel's series and 30/90-day summaries (owner, admins). */
    channel: {
      params: P.CHANNEL_ANALYTICS,
      handler(ctx) {
        return channelAnalytics(this, ctx);
      },
    },
    /** One live session (channel owner, admins). */
    stream: {
      params: P.STREAM_ANALYTICS,
      handler(ctx) {
        return streamAnalytics(this, ctx);
      },
    },
    /** One video: views, watch time, retention (channel owner, admins). */
    video: {
      params: P.VIDEO_ANALYTICS,
      handler(ctx) {
        return videoAnalytics(this, ctx);
      },
    },
    /** Platform overview (admins). */
    admin: {
      params: P.ADMIN_ANALYTICS,
      handler(ctx) {
        return adminAnalytics(this, ctx);
      },
    },
    /** The player's watch-progress heartbeat. */
    heartbeat: {
      params: P.HEARTBEAT,
      handler(ctx) {
        return heartbeat(this, ctx);
      },
    },
  } satisfies ServiceActions<"analytics", AnalyticsThis>,

  events: analyticsEvents(),

  channels: analyticsChannels(),

  created(this: Service<AnalyticsSettings>) {
    const svc = this as AnalyticsThis;
    const config = getConfig();
    const given: AnalyticsSettings = svc.settings;
    const defaults = config.analytics;
    svc.policy = {
      rawRetentionDays: given.rawRetentionDays ?? defaults.rawRetentionDays,
      rollupRetentionDays: given.rollupRetentionDays ?? defaults.rollupRetentionDays,
      rollupIntervalS: given.rollupIntervalS ?? defaults.rollupIntervalS,
      partitionsAheadDays: given.partitionsAheadDays ?? defaults.partitionsAheadDays,
      minGroupSize: given.minGroupSize ?? defaults.minGroupSize,
      heartbeatMinIntervalS: given.heartbeatMinIntervalS ?? defaults.heartbeatMinIntervalS,
      flushIntervalMs: given.flushIntervalMs ?? 1000,
      // Larger batches sum more of a minute's events into one row per series (measured: bench:analytics).
      flushMaxEvents: given.flushMaxEvents ?? 20_000,
      // Two batches in flight keep PostgreSQL busy while this node builds the next (bench:analytics);
      // embedded PGlite runs one statement at a time, so a second writer would only queue.
      flushConcurrency:
        given.flushConcurrency ?? (config.database.url ? Math.max(1, Math.min(2, config.database.poolMax - 1)) : 1),
    };
    if (svc.policy.rawRetentionDays < 1) throw new Error("ANALYTICS_RAW_RETENTION_DAYS must be at least 1");
    svc.viewerSalt = config.media.urlSecret;
    svc.heartbeatLimits = createRateLimitStore(config, `${config.namespace}:analytics:hb`);
  },

  async started(this: Service<AnalyticsSettings>) {
    const svc = this as AnalyticsThis;
    svc.partitions = new PartitionKeeper(svc.db, svc.policy);
    svc.viewerKeys = new ViewerKeys(svc.db);
    svc.rollupCache = new RollupCache(svc.db);
    svc.buffer = new IngestBuffer({
      flushIntervalMs: svc.policy.flushIntervalMs,
      maxEvents: svc.policy.flushMaxEvents,
      maxPending: svc.policy.flushMaxEvents * 5,
      maxConcurrent: svc.policy.flushConcurrency,
      write: (events) => ingest(svc.db, svc.partitions, events, Date.now(), { plainOnly: true }),
      onError: (err, pending) => svc.logger.warn(`analytics: a batch failed (${pending} events wait): ${String(err)}`),
      onLost: (dropped, lost) => {
        // Once per thousand lost, not per event: an outage would otherwise log a line per sample.
        if (Math.floor(lost / 1000) > Math.floor((lost - dropped) / 1000) || lost === dropped)
          svc.logger.warn(`analytics: ${lost} plain events dropped so far (the buffer is full while writes fail)`);
      },
    });
    await housekeeping(svc);
    startMaintenance(svc);
  },

  async stopped(this: Service<AnalyticsSettings>) {
    const svc = this as AnalyticsThis;
    stopMaintenance(svc);
    await svc.buffer?.close().catch((err: unknown) => svc.logger.warn(`analytics: last flush failed: ${String(err)}`));
    await svc.heartbeatLimits?.close();
  },
};

export default AnalyticsService;
