import { join } from "node:path";
import type { Context, ServiceSchema } from "moleculer";
import type { ArenaMeta } from "../../../lib/auth/auth-user";
import { assertOwner } from "../../../lib/auth/ownership";
import { getConfig } from "../../../lib/config";
import { NotFoundError, ValidationError } from "../../../lib/errors";
import { DbMixin, type StoreQuery } from "../../../mixins/db";
import { toPlainText as plainText } from "../../../lib/text/plain-text";
import { DURABLE_EVENTS_MIGRATIONS, DurableEventsMixin } from "../../../mixins/durable-events";
import { meteredCallbacks } from "./live-metrics";
import { createMediaProvider } from "./media-provider-factory";
import type { IngestEndpoint } from "./media-provider";
import {
  ingestCallbacks,
  endSessionNow,
  recoverOrphanedSessions,
  sweepAbandonedSessions,
  type StreamsThis,
} from "./session-lifecycle";
import {
  healthWarnings,
  toHealthSample,
  toPublicSession,
  type ChannelLiveStatus,
  type PublicSession,
  type SessionDoc,
  type StreamHealthView,
} from "./stream-sessions";
import { VIEWERS_SAMPLED_EVENT, type ViewersSampled } from "./streams.events";
import "./streams.events";

/**
 * Live sessions: go-live is driven by ingest (a publish with a valid stream
 * key opens or resumes the channel's session), the provider packages the
 * media, this service keeps the session, its health and viewer peak, and
 * publishes the durable lifecycle events.
 */
export interface StreamsSettings {
  /** How often ingest health is sampled and stored. */
  healthIntervalMs: number;
  segmentSeconds: number;
  playlistSize: number;
  /** Health samples returned to the owner. */
  healthSamplesShown: number;
  /**
   * Health samples older than this (before the newest of the session) are
   * deleted; a new session of the channel deletes the previous sessions'.
   */
  healthRetentionS: number;
  /** aws provider: MediaLive state polling interval. */
  awsPollIntervalMs: number;
  /** How often to look for sessions abandoned by a node that left the cluster (0: never). */
  abandonedSweepIntervalMs: number;
}

export interface LiveListParams {
  category?: string;
  language?: string;
  sort?: "viewers" | "recent";
  limit?: number;
  offset?: number;
}
export interface ChannelParams {
  channelId: string;
}
export interface ChannelIdsParams {
  channelIds: string[];
}
export interface UpdateParams {
  channelId: string;
  title?: string;
  category?: string | null;
}

type Ctx<P> = Context<P, ArenaMeta>;

function plainTextField(field: string, raw: string): string {
  const value = plainText(raw);
  if (!value) throw new ValidationError(`${field} is empty after removing markup`, [{ field, message: "empty" }]);
  return value;
}
const CHANNEL_ID = { type: "string", min: 1, max: 64, pattern: /^[A-Za-z0-9_-]+$/ } as const;

const OPEN = { $in: ["live", "reconnecting"] };
/** Plain event between streams nodes: end a session held by another node's ingest. */
const END_REQUESTED_EVENT = "streams.session.endRequested";

/** Drops a channel's live broadcaster if this node holds its session (key rotated, channel suspended). */
async function dropLivePublisher(svc: StreamsThis, channelId: string): Promise<void> {
  const doc = await svc.stores.sessions.findOne({ channelId, status: OPEN });
  if (doc && doc.nodeId === svc.broker.nodeID) svc.provider.dropPublisher(doc.id);
}

const StreamsService: ServiceSchema<StreamsSettings, StreamsThis> = {
  name: "streams",

  mixins: [
    DbMixin({
      schema: "streams",
      primary: "sessions",
      entities: {
        sessions: {
          table: "sessions",
          kind: "document",
          fields: {
            channelId: { type: "string", required: true },
            ownerId: { type: "string", required: true },
            status: { type: "string", required: true },
            title: { type: "string", required: true },
            category: { type: "string" },
            language: { type: "string", default: "en" },
            provider: { type: "string", required: true },
            nodeId: { type: "string", required: true },
            connectionId: { type: "string" },
            startedAt: { type: "date", required: true },
            disconnectedAt: { type: "date" },
            endedAt: { type: "date" },
            durationS: { type: "integer" },
            viewerCount: { type: "integer", default: 0 },
            viewersSampledAt: { type: "date" },
            peakViewers: { type: "integer", default: 0 },
            lastHealth: { type: "json" },
            recordingKey: { type: "string" },
          },
          indexes: [{ fields: { status: 1, viewerCount: -1 } }, { fields: { channelId: 1, startedAt: -1 } }],
        },
        healthSamples: {
          table: "health_samples",
          kind: "document",
          fields: {
            sessionId: { type: "string", required: true },
            channelId: { type: "string", required: true },
            at: { type: "date", required: true },
            bitrateKbps: { type: "integer", required: true },
            fps: { type: "float", required: true },
            keyframeIntervalS: { type: "float", required: true },
            droppedFrames: { type: "integer", required: true },
            width: { type: "integer", required: true },
            height: { type: "integer", required: true },
          },
          indexes: [{ fields: { sessionId: 1, at: -1 } }],
        },
      },
      migrations: [{ name: "streams", dir: join(__dirname, "migrations") }, DURABLE_EVENTS_MIGRATIONS],
    }),
    DurableEventsMixin(),
  ],

  settings: {
    healthIntervalMs: 5000,
    segmentSeconds: 2,
    playlistSize: 10,
    healthSamplesShown: 60,
    healthRetentionS: 3600,
    awsPollIntervalMs: 5000,
    abandonedSweepIntervalMs: 60_000,
  },

  actions: {
    /** Live streams now: filter by category and language, most viewers (or most recent) first. */
    live: {
      params: {
        category: { type: "string", optional: true, min: 1, max: 64 },
        language: { type: "string", optional: true, min: 2, max: 16 },
        sort: { type: "enum", values: ["viewers", "recent"], optional: true },
        limit: { type: "number", integer: true, min: 1, max: 100, optional: true, convert: true },
        offset: { type: "number", integer: true, min: 0, max: 10000, optional: true, convert: true },
      },
      async handler(this: StreamsThis, ctx: Ctx<LiveListParams>): Promise<{ items: PublicSession[]; total: number }> {
        const query: StoreQuery = { status: OPEN };
        if (ctx.params.category) query.category = ctx.params.category;
        if (ctx.params.language) query.language = ctx.params.language;
        const sort = ctx.params.sort === "recent" ? ["-startedAt", "id"] : ["-viewerCount", "-startedAt", "id"];
        const [docs, total] = await Promise.all([
          this.stores.sessions.find({ query, sort, limit: ctx.params.limit ?? 24, offset: ctx.params.offset ?? 0 }),
          this.stores.sessions.count(query),
        ]);
        return { items: docs.map(toPublicSession), total };
      },
    },

    /** A channel's live status and, when live, a signed playback URL (plus CloudFront signed cookies on aws). */
    channelStatus: {
      params: { channelId: CHANNEL_ID },
      async handler(this: StreamsThis, ctx: Ctx<ChannelParams>): Promise<ChannelLiveStatus> {
        const doc = await this.stores.sessions.findOne({ channelId: ctx.params.channelId, status: OPEN });
        if (!doc) {
          // Offline and unknown are different answers: a typo in a channel id is a 404, not "offline".
          await ctx.call("channels.get", { id: ctx.params.channelId });
          return {
            channelId: ctx.params.channelId,
            live: false,
            session: null,
            playbackUrl: null,
            playbackCookies: null,
          };
        }
        const nowS = Math.floor(Date.now() / 1000);
        return {
          channelId: doc.channelId,
          live: true,
          session: toPublicSession(doc),
          playbackUrl: this.provider.playbackUrl(doc.id, nowS),
          playbackCookies: this.provider.playbackCookies(doc.id, nowS),
        };
      },
    },

    /** Batch form of channelStatus without playback URLs (for channel lists). */
    liveMany: {
      params: { channelIds: { type: "array", items: CHANNEL_ID, max: 200 } },
      async handler(this: StreamsThis, ctx: Ctx<ChannelIdsParams>): Promise<PublicSession[]> {
        if (ctx.params.channelIds.length === 0) return [];
        const docs = await this.stores.sessions.find({
          query: { channelId: { $in: ctx.params.channelIds }, status: OPEN },
        });
        return docs.map(toPublicSession);
      },
    },

    /** The owner's stream health: latest ingest sample, recent history and warnings. */
    health: {
      params: { channelId: CHANNEL_ID },
      async handler(this: StreamsThis, ctx: Ctx<ChannelParams>): Promise<StreamHealthView> {
        const doc = await this.stores.sessions.findOne({ channelId: ctx.params.channelId }, ["-startedAt"]);
        if (!doc) throw new NotFoundError("Live session of channel", ctx.params.channelId);
        assertOwner(ctx, doc.ownerId, "stream");
        const samples = await this.stores.healthSamples.find({
          query: { sessionId: doc.id },
          sort: ["-at"],
          limit: this.settings.healthSamplesShown,
        });
        const latest = doc.lastHealth ?? null;
        return {
          sessionId: doc.id,
          channelId: doc.channelId,
          status: doc.status,
          latest,
          samples: samples.map(toHealthSample),
          warnings: doc.status === "ended" ? [] : healthWarnings(latest),
        };
      },
    },

    /** Changes the live stream's title/category while live (owner); publishes stream.updated. */
    update: {
      params: {
        channelId: CHANNEL_ID,
        title: { type: "string", optional: true, min: 1, max: 140, trim: true },
        category: { type: "string", optional: true, nullable: true, min: 1, max: 64, trim: true },
        $$strict: "remove",
      },
      async handler(this: StreamsThis, ctx: Ctx<UpdateParams>): Promise<PublicSession> {
        const doc = await this.stores.sessions.findOne({ channelId: ctx.params.channelId, status: OPEN });
        if (!doc) throw new NotFoundError("Live session of channel", ctx.params.channelId);
        assertOwner(ctx, doc.ownerId, "stream");
        const patch: Partial<Pick<SessionDoc, "title" | "category">> = {};
        // Same rule as channel titles: plain text only, shown to every viewer in listings and notifications.
        if (ctx.params.title !== undefined) patch.title = plainTextField("title", ctx.params.title);
        if (ctx.params.category !== undefined)
          patch.category = ctx.params.category === null ? null : plainTextField("category", ctx.params.category);
        const updated = await this.db.transaction(async () => {
          const next = (await this.stores.sessions.updateById(doc.id, patch)) as SessionDoc;
          await this.publishDurable("stream.updated", {
            sessionId: next.id,
            channelId: next.channelId,
            title: next.title,
            category: next.category ?? null,
          });
          return next;
        });
        return toPublicSession(updated);
      },
    },

    /** Where the owner points their encoder (the stream key itself is shown once by channels). */
    ingest: {
      params: { channelId: CHANNEL_ID },
      async handler(this: StreamsThis, ctx: Ctx<ChannelParams>): Promise<IngestEndpoint & { provider: string }> {
        const channel = (await ctx.call("channels.get", { id: ctx.params.channelId })) as {
          id: string;
          ownerId: string;
        };
        assertOwner(ctx, channel.ownerId, "channel");
        const endpoint = await this.provider.ingestEndpoint({ channelId: channel.id, ownerId: channel.ownerId });
        return { ...endpoint, provider: this.provider.kind };
      },
    },

    /** Ends the channel's session now (owner or admin): drops the broadcaster, skips the grace period. */
    end: {
      params: { channelId: CHANNEL_ID },
      async handler(this: StreamsThis, ctx: Ctx<ChannelParams>): Promise<{ ended: boolean }> {
        const doc = await this.stores.sessions.findOne({ channelId: ctx.params.channelId, status: OPEN });
        if (!doc) throw new NotFoundError("Live session of channel", ctx.params.channelId);
        assertOwner(ctx, doc.ownerId, "stream");
        if (doc.nodeId === this.broker.nodeID) {
          this.provider.dropPublisher(doc.id);
          await endSessionNow(this, doc.id);
        } else {
          // Grace timers and the broadcaster live on the ingest node: ask it.
          ctx.broadcast(END_REQUESTED_EVENT, { sessionId: doc.id }, "streams");
        }
        return { ended: true };
      },
    },
  },

  events: {
    [VIEWERS_SAMPLED_EVENT]: {
      params: {
        channelId: CHANNEL_ID,
        viewerCount: { type: "number", integer: true, min: 0 },
        at: { type: "string", max: 40 },
      },
      async handler(this: StreamsThis, ctx: Context<ViewersSampled>): Promise<void> {
        const doc = await this.stores.sessions.findOne({ channelId: ctx.params.channelId, status: OPEN });
        if (!doc) return;
        const at = new Date(ctx.params.at);
        if (Number.isNaN(at.getTime())) return;
        // Only a newer sample may set the current count (two conditional writes: never sampled, or sampled earlier).
        const patch = { viewerCount: ctx.params.viewerCount, viewersSampledAt: at };
        const updated = await this.stores.sessions.updateMany({ id: doc.id, viewersSampledAt: null }, patch);
        if (updated === 0) await this.stores.sessions.updateMany({ id: doc.id, viewersSampledAt: { $lt: at } }, patch);
        // Conditional write: concurrent samples (several realtime nodes) can only raise the peak.
        await this.stores.sessions.updateMany(
          { id: doc.id, peakViewers: { $lt: ctx.params.viewerCount } },
          { peakViewers: ctx.params.viewerCount },
        );
      },
    },
    [END_REQUESTED_EVENT]: {
      params: { sessionId: { type: "string", min: 1, max: 100 } },
      async handler(this: StreamsThis, ctx: Context<{ sessionId: string }>): Promise<void> {
        const doc = await this.stores.sessions.findById(ctx.params.sessionId);
        if (!doc || doc.nodeId !== this.broker.nodeID) return;
        this.provider.dropPublisher(doc.id);
        await endSessionNow(this, doc.id);
      },
    },
    /** A rotated key must not keep streaming: drop the broadcaster if this node holds it. */
    "channels.streamKey.rotated": {
      params: { channelId: CHANNEL_ID },
      handler(this: StreamsThis, ctx: Context<ChannelParams>): Promise<void> {
        return dropLivePublisher(this, ctx.params.channelId);
      },
    },
    /** A suspended channel stops broadcasting at once (its key is refused from now on). */
    "channels.suspended": {
      params: { channelId: CHANNEL_ID },
      handler(this: StreamsThis, ctx: Context<ChannelParams>): Promise<void> {
        return dropLivePublisher(this, ctx.params.channelId);
      },
    },
  },

  created(this: StreamsThis) {
    this.graceTimers = new Map();
    this.stopping = false;
    this.endingSessions = new Map();
    const log = { info: (msg: string) => this.logger.info(msg), warn: (msg: string) => this.logger.warn(msg) };
    this.provider = createMediaProvider(getConfig(), this.settings, log);
  },

  async started(this: StreamsThis) {
    this.stopping = false;
    await recoverOrphanedSessions(this);
    await this.provider.start(meteredCallbacks(this.broker, ingestCallbacks(this)));
    if (this.settings.abandonedSweepIntervalMs > 0) {
      this.abandonedSweepTimer = setInterval(() => {
        if (this.stopping) return;
        sweepAbandonedSessions(this).catch((err: unknown) =>
          this.logger.warn(`Abandoned session sweep failed: ${(err as Error).message}`),
        );
      }, this.settings.abandonedSweepIntervalMs);
      this.abandonedSweepTimer.unref();
    }
  },

  async stopped(this: StreamsThis) {
    this.stopping = true;
    if (this.abandonedSweepTimer) clearInterval(this.abandonedSweepTimer);
    for (const timer of this.graceTimers.values()) clearTimeout(timer);
    this.graceTimers.clear();
    await this.provider.stop();
    await Promise.allSettled([...this.endingSessions.values()]);
  },
};

export default StreamsService;
