/**
 * notifications: go-live, new-video, follower, comment, blog and tournament
 * alerts from the durable events of every service (catalog.ts), an inbox
 * with unread counts, live delivery to open sockets through the realtime
 * nodes, preferences, and mobile (FCM/SNS) and browser (Web Push) pushes as
 * durable jobs. Domain logic lives in the neighbouring files; this file wires.
 */
import { randomBytes } from "node:crypto";
import type { Service, ServiceSchema } from "moleculer";
import { getConfig } from "../../../lib/config";
import type { ServiceActions } from "../../../lib/contracts";
import { DbMixin } from "../../../mixins/db";
import { DurableEventsMixin, durableHandler, type DurableEventName } from "../../../mixins/durable-events";
import { removeChannelData, removeUserData } from "./account-cleanup";
import { listDevices, registerDevice, removeDevice, webPushKey } from "./device-actions";
import { CONSUMED_EVENTS, handleEvent } from "./event-handlers";
import { applyLegacySwitches } from "./legacy-preferences";
import { FanoutWorker } from "./fanout-worker";
import {
  countUnread,
  getNotification,
  listNotifications,
  markAllRead,
  markRead,
  removeNotification,
  unreadCount,
} from "./inbox-actions";
import type { NotificationsSettings, NotificationsThis } from "./notifications.context";
import { NOTIFICATIONS_DB } from "./notifications.entities";
import * as P from "./notifications.params";
import { getPreferences, muteChannel, unmuteChannel, updatePreferences } from "./preference-actions";
import { createPushProviders } from "./providers";
import { closeProviders, type PushProviders } from "./providers/provider";
import { PushWorker } from "./push-worker";
import { sweepRetention } from "./retention";
import { RedisUnreadCounter, SqlUnreadCounter } from "./unread-counter";
import "./notifications.contract";

export type { NotificationsSettings, NotificationsThis } from "./notifications.context";

/** One durable handler per consumed event: the catalog decides what each one sends. */
function eventChannels(): Record<string, unknown> {
  const channels: Record<string, unknown> = {};
  for (const event of CONSUMED_EVENTS as DurableEventName[]) {
    Object.assign(
      channels,
      durableHandler<DurableEventName, NotificationsThis>(event, {
        group: "notifications",
        async handler(envelope) {
          await handleEvent(this, envelope.type as DurableEventName, envelope.payload);
        },
      }),
    );
  }
  return channels;
}

const NotificationsService: ServiceSchema<NotificationsSettings> = {
  name: "notifications",
  mixins: [DbMixin(NOTIFICATIONS_DB), DurableEventsMixin()],

  settings: {
    fanoutBatchSize: 2000,
    fanoutLeaseMs: 30_000,
    pollMs: 1000,
    pushBatchSize: 100,
    pushConcurrency: 20,
    pushLeaseMs: 60_000,
    pushMaxAttempts: 5,
    pushBackoffMs: 2000,
    maxDevicesPerUser: 10,
    retentionDays: 90,
    retentionSweepMs: 60 * 60_000,
    unreadTtlS: 86_400,
    runWorkers: true,
  },

  actions: {
    /** The caller's inbox, newest first; `unread` filters. */
    list: { params: P.LIST, handler: (ctx) => listNotifications(svcOf(ctx), ctx) },
    /** One of the caller's notifications with every delivery attempt. */
    get: { params: P.BY_ID, handler: (ctx) => getNotification(svcOf(ctx), ctx) },
    /** The badge: unread notifications of the caller. */
    unreadCount: { params: P.NONE, handler: (ctx) => unreadCount(svcOf(ctx), ctx) },
    markRead: { params: P.BY_ID, handler: (ctx) => markRead(svcOf(ctx), ctx) },
    markAllRead: { params: P.MARK_ALL, handler: (ctx) => markAllRead(svcOf(ctx), ctx) },
    remove: { params: P.BY_ID, handler: (ctx) => removeNotification(svcOf(ctx), ctx) },
    /** Per-type switches (defaults filled in) and muted channels. */
    preferences: { params: P.NONE, handler: (ctx) => getPreferences(svcOf(ctx), ctx) },
    updatePreferences: { params: P.UPDATE_PREFERENCES, handler: (ctx) => updatePreferences(svcOf(ctx), ctx) },
    muteChannel: { params: P.CHANNEL, handler: (ctx) => muteChannel(svcOf(ctx), ctx) },
    unmuteChannel: { params: P.CHANNEL, handler: (ctx) => unmuteChannel(svcOf(ctx), ctx) },
    devices: { params: P.NONE, handler: (ctx) => listDevices(svcOf(ctx), ctx) },
    /** An FCM/APNs token or a Web Push subscription (400 when malformed). */
    registerDevice: { params: P.REGISTER_DEVICE, handler: (ctx) => registerDevice(svcOf(ctx), ctx) },
    removeDevice: { params: P.BY_ID, handler: (ctx) => removeDevice(svcOf(ctx), ctx) },
    webPushKey: { params: P.NONE, handler: (ctx) => webPushKey(svcOf(ctx)) },
    sweep: {
      params: P.NONE,
      visibility: "public" as const,
      handler: async (ctx) => ({ deleted: await sweepRetention(svcOf(ctx)) }),
    },
  } satisfies ServiceActions<"notifications", NotificationsThis>,

  channels: {
    ...eventChannels(),
    ...durableHandler<"user.deleted", NotificationsThis>("user.deleted", {
      group: "notifications",
      async handler(envelope) {
        await removeUserData(this, envelope.payload.userId);
      },
    }),
    ...durableHandler<"user.preferences.changed", NotificationsThis>("user.preferences.changed", {
      group: "notifications",
      ordered: "preferences",
      async handler(envelope) {
        await applyLegacySwitches(this, envelope.payload);
      },
    }),
    ...durableHandler<"channel.deleted", NotificationsThis>("channel.deleted", {
      group: "notifications",
      async handler(envelope) {
        await removeChannelData(this, envelope.payload.channelId);
      },
    }),
  },

  methods: {
    createProviders(this: NotificationsThis): PushProviders {
      return createPushProviders(getConfig());
    },
  },

  created(this: Service<NotificationsSettings>) {
    const svc = this as unknown as NotificationsThis;
    const config = getConfig();
    svc.settings.retentionDays = config.notifications.retentionDays;
    svc.owner = `${svc.broker.nodeID}:${randomBytes(3).toString("hex")}`;
    const count = (ids: string[]) => countUnread(svc, ids);
    svc.unread = config.redisUrl
      ? new RedisUnreadCounter(config.redisUrl, `${config.namespace}:notifications`, count, svc.settings.unreadTtlS, {
          commandTimeoutMs: config.redisCommandTimeoutMs,
          logger: svc.logger,
        })
      : new SqlUnreadCounter(count);
    svc.providers = svc.createProviders();
    svc.fanouts = new FanoutWorker(svc);
    svc.pushes = new PushWorker(svc, config.publicUrl.replace(/\/+$/, ""));
  },

  async started(this: Service<NotificationsSettings>) {
    const svc = this as unknown as NotificationsThis;
    if (!svc.settings.runWorkers) return;
    // Fan-outs and pushes left by a node that died are taken over here (their leases expire).
    svc.fanouts.start();
    svc.pushes.start();
    svc.retentionTimer = setInterval(() => {
      sweepRetention(svc).catch((err: Error) => svc.logger.warn(`retention sweep failed: ${err.message}`));
    }, svc.settings.retentionSweepMs);
    svc.retentionTimer.unref();
  },

  async stopped(this: Service<NotificationsSettings>) {
    const svc = this as unknown as NotificationsThis;
    if (svc.retentionTimer) clearInterval(svc.retentionTimer);
    await Promise.all([svc.fanouts?.stop(), svc.pushes?.stop()]);
    await svc.unread?.close();
    await closeProviders(svc.providers);
  },
};

/** The service instance behind a call. */
function svcOf(ctx: { service?: unknown }): NotificationsThis {
  return ctx.service as NotificationsThis;
}

export default NotificationsService;
