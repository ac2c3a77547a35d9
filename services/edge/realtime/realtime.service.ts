/**
 * realtime: a uWebSockets.js server inside a Moleculer service. Chat
 * messages never cross a request/response action: the gateway judges them
 * in memory, fans them out on NATS subjects and stores them in batches.
 * See docs/realtime-protocol.md for the wire protocol and the message path.
 * The gateway and its parts live in the neighbouring files; this file wires
 * actions, the plain events that keep rooms fresh, and lifecycle.
 */
import type { ServiceSchema } from "moleculer";
import { getConfig } from "../../../lib/config";
import { onEvent, type ServiceActions } from "../../../lib/contracts";
import { GatewayIdentityMixin, SESSIONS_REVOKED_PARAMS } from "../../../mixins/gateway-identity";
import { RealtimeGateway } from "./gateway";
import { HistoryWriter } from "./history-writer";
import { RealtimeMetrics } from "./metrics";
import { roomFanout, socketTokenVerifier, viewerCountStore } from "./node-parts";
import { brokerBackend, persistThroughChat } from "./realtime-backend";
import { resolveRealtimeSettings, type RealtimeSettings } from "./realtime-settings";
import type { RealtimeThis, Settings } from "./realtime.context";
import * as P from "./realtime.params";
import "./realtime.contract";
import "./realtime.events";
import "../../engagement/notifications/notifications.events";

export type { RealtimeThis, Settings } from "./realtime.context";

const RealtimeService: ServiceSchema<Settings, RealtimeThis> = {
  name: "realtime",
  // Same identity checks as the REST gateway: revoked sessions are refused at
  // upgrade and on `auth` frames, and Keycloak users are provisioned on first sight.
  mixins: [GatewayIdentityMixin()],

  settings: {},

  actions: {
    /** This node's connection and traffic counters, and the port it listens on. */
    stats: {
      params: P.NONE,
      handler() {
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
      params: P.VIEWERS,
      handler(ctx) {
        const room = this.gateway.rooms.get(ctx.params.channelId);
        return { channelId: ctx.params.channelId, viewerCount: room && room.members.size > 0 ? room.viewerCount : 0 };
      },
    },
  } satisfies ServiceActions<"realtime", RealtimeThis>,

  events: {
    ...onEvent(
      "chat.moderation.changed",
      function (this: RealtimeThis, changed) {
        this.gateway.onModerationChanged(changed.state, changed.change);
      },
      { params: P.MODERATION_CHANGED },
    ),
    ...onEvent(
      "chat.message.deleted",
      function (this: RealtimeThis, { channelId, messageId }) {
        if (this.gateway.rooms.get(channelId))
          this.gateway.pushToRoom(channelId, { type: "deleted", room: channelId, messageId });
      },
      { params: P.MESSAGE_DELETED },
    ),
    ...onEvent(
      "channels.moderation.changed",
      function (this: RealtimeThis, policy) {
        this.gateway.onPolicyChanged(policy);
      },
      { params: P.POLICY_CHANGED },
    ),
    // The mixin records revocations for future upgrades; sockets already open on them are closed here.
    ...onEvent(
      "identity.sessions.revoked",
      function (this: RealtimeThis, revoked) {
        const closed = this.gateway.closeRevokedSessions(revoked.sessionIds);
        if (closed > 0) this.logger.info(`closed ${closed} socket(s) of revoked sessions`);
      },
      { params: SESSIONS_REVOKED_PARAMS },
    ),
    ...onEvent("realtime.topic.publish", function (this: RealtimeThis, msg) {
      this.gateway.publishToTopic(msg);
    }),
    ...onEvent(
      "notifications.push",
      function (this: RealtimeThis, push) {
        this.gateway.notifyUser(push.userId, push.notification);
      },
      { params: P.NOTIFICATION_PUSH },
    ),
    ...onEvent(
      "notifications.pushBatch",
      function (this: RealtimeThis, batch) {
        this.gateway.notifyMany(batch);
      },
      { params: P.NOTIFICATION_PUSH_BATCH },
    ),
    ...onEvent(
      "notifications.unread",
      function (this: RealtimeThis, changed) {
        this.gateway.updateUnread(changed.userId, changed.unreadCount);
      },
      { params: P.NOTIFICATION_UNREAD },
    ),
  },

  methods: {
    createTokenVerifier(this: RealtimeThis) {
      return socketTokenVerifier(this);
    },
    createFanout(this: RealtimeThis, settings: RealtimeSettings) {
      return roomFanout(this, settings);
    },
    createViewerStore(this: RealtimeThis, settings: RealtimeSettings) {
      return viewerCountStore(this, settings);
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
