/**
 * The realtime node: a uWebSockets.js server inside a Moleculer service.
 * Chat messages never cross a request/response action: the gateway judges
 * them in memory, fans them out on NATS subjects and stores them in batches.
 * See docs/realtime-protocol.md for the wire protocol.
 */
import { Context, type Service, type ServiceSchema } from "moleculer";
import type { TokenVerifier } from "../../../lib/auth/token-verifier";
import { createTokenVerifier } from "../../../lib/auth/create-token-verifier";
import {
  GatewayIdentityMixin,
  SESSIONS_REVOKED_PARAMS,
  type GatewayIdentityThis,
} from "../../../mixins/gateway-identity";
import { getConfig } from "../../../lib/config";
import { onEvent } from "../../../lib/contracts/events";
import type { ChatPolicy, ModChange, RoomModerationState } from "../../../lib/moderation";
import type { RoomFanout } from "./fanout";
import { LocalFanout } from "./fanout-local";
import { NatsFanout } from "./fanout-nats";
import { RealtimeGateway } from "./gateway";
import { HistoryWriter } from "./history-writer";
import { RealtimeMetrics, type RealtimeStats } from "./metrics";
import type { UserNotification } from "./protocol";
import { brokerBackend, persistThroughChat } from "./realtime-backend";
import { resolveRealtimeSettings, type RealtimeSettings } from "./realtime-settings";
import { TOPIC_PUBLISH_EVENT } from "./realtime.events";
import type { ViewerCountStore } from "./viewer-counts";
import { MemoryViewerCounts } from "./viewer-counts-memory";
import { RedisViewerCounts } from "./viewer-counts-redis";

export type Settings = Partial<RealtimeSettings>;

export type RealtimeThis = Service<Settings> & RealtimeState & Pick<GatewayIdentityThis, "resolveIdentity">;

interface RealtimeState {
  gateway: RealtimeGateway;
  resolved: RealtimeSettings;
  createTokenVerifier(): TokenVerifier;
  createFanout(settings: RealtimeSettings): RoomFanout;
  createViewerStore(settings: RealtimeSettings): ViewerCountStore;
}

export interface StatsResult extends RealtimeStats {
  nodeId: string;
  port: number;
  fanout: string;
  viewerStore: string;
}

export interface ViewersParams {
  channelId: string;
}

export interface ChatModerationChangedEvent {
  channelId: string;
  state: RoomModerationState;
  change?: ModChange;
}

export interface ChatMessageDeletedEvent {
  channelId: string;
  messageId: string;
  deletedBy: string;
}

export interface NotificationsPushEvent {
  userId: string;
  notification: UserNotification;
}

const RealtimeService: ServiceSchema<Settings, RealtimeThis> = {
  name: "realtime",
  // Same identity checks as the REST gateway: revoked sessions are refused at
  // upgrade and on `auth` frames, and Keycloak users are provisioned on first sight.
  mixins: [GatewayIdentityMixin()],

  settings: {},

  actions: {
    /** This node's connection and traffic counters, and the port it listens on. */
    stats: {
      params: {},
      handler(this: RealtimeThis): StatsResult {
        return {
          nodeId: this.broker.nodeID,
          port: this.gateway.port,
          fanout: this.resolved.natsUrl ? "nats" : "local",
          viewerStore: this.resolved.redisUrl ? "redis" : "memory",
          ...this.gateway.deps.metrics.stats,
        };
      },
    },

    /** The last cluster-wide viewer count this node knows for a room (0 when it has no members here). */
    viewers: {
      params: { channelId: { type: "string", min: 1, max: 64 } },
      handler(this: RealtimeThis, ctx: Context<ViewersParams>): { channelId: string; viewerCount: number } {
        const room = this.gateway.rooms.get(ctx.params.channelId);
        return { channelId: ctx.params.channelId, viewerCount: room && room.members.size > 0 ? room.viewerCount : 0 };
      },
    },
  },

  events: {
    "chat.moderation.changed": {
      params: { channelId: "string", state: "object", change: { type: "object", optional: true } },
      handler(this: RealtimeThis, ctx: Context<ChatModerationChangedEvent>) {
        this.gateway.onModerationChanged(ctx.params.state, ctx.params.change);
      },
    },
    "chat.message.deleted": {
      params: { channelId: "string", messageId: "string", deletedBy: "string" },
      handler(this: RealtimeThis, ctx: Context<ChatMessageDeletedEvent>) {
        const { channelId, messageId } = ctx.params;
        if (this.gateway.rooms.get(channelId))
          this.gateway.pushToRoom(channelId, { type: "deleted", room: channelId, messageId });
      },
    },
    "channels.moderation.changed": {
      params: {
        channelId: "string",
        ownerId: "string",
        moderatorIds: { type: "array", items: "string" },
        vipIds: { type: "array", items: "string" },
      },
      handler(this: RealtimeThis, ctx: Context<ChatPolicy>) {
        this.gateway.onPolicyChanged(ctx.params);
      },
    },
    // The mixin records revocations for future upgrades; sockets already open on them are closed here.
    ...onEvent(
      "identity.sessions.revoked",
      function (this: RealtimeThis, revoked) {
        const closed = this.gateway.closeRevokedSessions(revoked.sessionIds);
        if (closed > 0) this.logger.info(`closed ${closed} socket(s) of revoked sessions`);
      },
      { params: SESSIONS_REVOKED_PARAMS },
    ),
    ...onEvent(TOPIC_PUBLISH_EVENT, function (this: RealtimeThis, msg) {
      this.gateway.publishToTopic(msg);
    }),
    "notifications.push": {
      params: {
        userId: "string",
        notification: {
          type: "object",
          props: {
            id: "string",
            type: "string",
            title: "string",
            body: { type: "string", optional: true },
            createdAt: "string",
          },
        },
      },
      handler(this: RealtimeThis, ctx: Context<NotificationsPushEvent>) {
        this.gateway.notifyUser(ctx.params.userId, ctx.params.notification);
      },
    },
  },

  methods: {
    /** Overridable (tests, benchmarks): the same verifier as the REST gateway by default. */
    createTokenVerifier(this: RealtimeThis): TokenVerifier {
      const jwt = createTokenVerifier(this.broker);
      const resolve = async (token: string) => {
        const { user, claims } = await jwt.verifyToken(token);
        const ctx = Context.create(this.broker);
        return { user: await this.resolveIdentity(ctx, claims, user), claims };
      };
      const verifier: TokenVerifier & { verifyToken: typeof resolve } = {
        verify: async (token: string) => (await resolve(token)).user,
        verifyToken: resolve,
      };
      return verifier;
    },
    createFanout(this: RealtimeThis, settings: RealtimeSettings): RoomFanout {
      if (!settings.natsUrl) {
        // A cluster without NATS would silently split every room per node: refuse to start instead.
        if (settings.clustered)
          throw new Error(
            "realtime: clustered nodes need a nats:// TRANSPORTER (or settings.natsUrl) for cross-node chat fan-out",
          );
        return new LocalFanout();
      }
      return new NatsFanout({
        url: settings.natsUrl,
        namespace: settings.namespace,
        name: `arena-realtime-${this.broker.nodeID}`,
        onError: (err) => this.logger.warn(err.message),
      });
    },
    createViewerStore(this: RealtimeThis, settings: RealtimeSettings): ViewerCountStore {
      if (!settings.redisUrl) return new MemoryViewerCounts();
      return new RedisViewerCounts({
        url: settings.redisUrl,
        namespace: settings.namespace,
        nodeId: this.broker.nodeID,
        aliveTtlMs: settings.viewerNodeTtlMs,
        commandTimeoutMs: getConfig().redisCommandTimeoutMs,
        logger: this.logger,
      });
    },
  },

  created(this: RealtimeThis) {
    this.resolved = resolveRealtimeSettings(getConfig(), this.settings);
    const settings = this.resolved;
    const history = settings.persistHistory
      ? new HistoryWriter(persistThroughChat(this.broker), {
          flushMs: settings.historyFlushMs,
          maxBatch: settings.historyMaxBatch,
          maxBuffered: settings.historyMaxBuffered,
          onError: (err) => this.logger.warn(`chat history batch not stored, retrying: ${err.message}`),
        })
      : null;
    this.gateway = new RealtimeGateway({
      settings,
      logger: this.logger,
      verifier: this.createTokenVerifier(),
      fanout: this.createFanout(settings),
      viewers: this.createViewerStore(settings),
      metrics: new RealtimeMetrics(this.broker),
      history,
      backend: brokerBackend(this.broker),
      startSpan: this.broker.isTracingEnabled()
        ? (name, tags) => this.broker.tracer.startSpan(name, { type: "chat", service: this, tags })
        : undefined,
    });
  },

  async started(this: RealtimeThis) {
    const port = await this.gateway.start();
    this.logger.info(
      `realtime gateway listening on ${this.resolved.host}:${port} (fan-out ${this.resolved.natsUrl ? "NATS" : "local"})`,
    );
  },

  async stopped(this: RealtimeThis) {
    await this.gateway.stop();
  },
};

export default RealtimeService;
