/**
 * The notifications slice for integration specs: the community harness
 * (users, channels, the real gateway, JWKS-issued actors) with notifications
 * and a realtime node. Events are published by a producer stand-in
 * (`publish`), the way streams, videos and users publish them.
 */
import { randomBytes } from "node:crypto";
import type { Service, ServiceSchema } from "moleculer";
import {
  DurableEventsMixin,
  type DurableEventMap,
  type DurableEventName,
  type DurableEventsMethods,
} from "../../../../mixins/durable-events";
import RealtimeService, { type RealtimeThis } from "../../../../services/edge/realtime/realtime.service";
import NotificationsService, {
  type NotificationsSettings,
  type NotificationsThis,
} from "../../../../services/engagement/notifications/notifications.service";
import { notificationsRoutes } from "../../../../services/engagement/notifications/notifications.routes";
import type { PushProviders } from "../../../../services/engagement/notifications/providers/provider";
import { startCommunity, type CommunityActor, type CommunityHarness } from "../../../helpers/community-harness";
import { createTestDatabase, type TestDatabase } from "../../../helpers/infra";
import type { JwksServer } from "../../../helpers/jwks-server";
import { RealtimeClient } from "../../edge/realtime/realtime-client";

export type Actor = CommunityActor;

export interface NotificationsHarness extends Pick<CommunityHarness, "broker" | "config" | "base" | "actor" | "stop"> {
  db: TestDatabase;
  notifications: NotificationsThis;
  wsUrl: string;
  /** Publishes a durable event as its producer would. */
  publish<N extends DurableEventName>(type: N, payload: DurableEventMap[N]): Promise<void>;
  socket(actor: Actor): Promise<RealtimeClient>;
  responses?: CommunityHarness["responses"];
}

export interface HarnessOptions {
  env?: Record<string, string | undefined>;
  settings?: Partial<NotificationsSettings>;
  providers?: () => PushProviders;
  /** A database of the spec's own: a second notifications node on the same rows (fan-out takeover). */
  db?: TestDatabase;
  kc?: JwksServer;
  /** Without the realtime node. */
  noRealtime?: boolean;
  /** Check every answer the harness's clients get against the OpenAPI document (`responses`). */
  checkResponses?: boolean;
}

export const FAST_SETTINGS: Partial<NotificationsSettings> = {
  pollMs: 100,
  fanoutLeaseMs: 2000,
  pushLeaseMs: 2000,
  pushBackoffMs: 50,
  fanoutBatchSize: 50,
};

export async function startNotifications(opts: HarnessOptions = {}): Promise<NotificationsHarness> {
  const db = opts.db ?? (await createTestDatabase("arena_notif"));
  const services: ServiceSchema[] = [
    { name: "eventProducer", mixins: [DurableEventsMixin()] },
    {
      name: "notifications",
      mixins: [NotificationsService as unknown as ServiceSchema],
      settings: { ...FAST_SETTINGS, ...opts.settings },
      ...(opts.providers ? { methods: { createProviders: opts.providers } } : {}),
    },
  ];
  if (!opts.noRealtime)
    services.push({
      name: "realtime",
      mixins: [RealtimeService as ServiceSchema],
      settings: { host: "127.0.0.1", port: 0 },
    });
  let h: CommunityHarness;
  try {
    h = await startCommunity({
      dbPrefix: "arena_notif",
      db,
      kc: opts.kc,
      services,
      routes: [notificationsRoutes],
      env: { PUBLIC_URL: "https://arena.example", ...opts.env },
      relayIntervalMs: 200,
      checkResponses: opts.checkResponses,
    });
  } catch (err) {
    if (!opts.db) await db.drop();
    throw err;
  }
  const producer = h.service<Service & DurableEventsMethods>("eventProducer");
  const wsUrl = opts.noRealtime ? "" : `ws://127.0.0.1:${h.service<RealtimeThis>("realtime").gateway.port}/`;
  return {
    broker: h.broker,
    config: h.config,
    base: h.base,
    actor: h.actor,
    responses: h.responses,
    db,
    notifications: h.service<NotificationsThis>("notifications"),
    wsUrl,
    async publish(type, payload) {
      await producer.publishDurable(type, payload);
    },
    socket: (a) => RealtimeClient.connect(wsUrl, { token: a.token }),
    async stop(stopOpts = {}) {
      await h.stop();
      if (!stopOpts.keepDatabase && !opts.db) await db.drop();
    },
  };
}

/** A channel owned by `owner` (created through the API) and `n` followers of it. */
export async function channelWithFollowers(
  h: NotificationsHarness,
  n: number,
): Promise<{ owner: Actor; channelId: string; slug: string; followers: Actor[] }> {
  const owner = await h.actor("owner", ["creator"]);
  const slug = `ch-${randomBytes(4).toString("hex")}`;
  const created = await owner.api.channels.create({ slug, title: `Channel ${slug}` });
  if (created.status !== 200 && created.status !== 201) throw new Error(`channel: ${JSON.stringify(created.body)}`);
  const channelId = (created.body as { channel: { id: string } }).channel.id;
  const followers = await Promise.all(Array.from({ length: n }, (_, i) => h.actor(`f${i}`)));
  for (const f of followers) {
    const res = await f.api.channels.follow(channelId);
    if (res.status !== 200) throw new Error(`follow: ${JSON.stringify(res.body)}`);
  }
  return { owner, channelId, slug, followers };
}

export function streamStarted(channelId: string, ownerId: string, sessionId: string, startedAt = new Date()) {
  return {
    sessionId,
    channelId,
    ownerId,
    title: "Ranked grind <b>tonight</b>",
    category: "fighting",
    language: "en",
    startedAt: startedAt.toISOString(),
  };
}
