/**
 * The live slice for integration specs: identity, users, channels, streams
 * and delivery on a fresh PostgreSQL database behind the real gateway, plus a
 * capture service that consumes the durable events streams publishes (the
 * way notifications and videos will). Small live ladder, ultrafast preset,
 * RTMP on a free port.
 */
import { ServiceBroker, type ServiceSchema } from "moleculer";
import { buildBrokerOptions } from "../../../../bin/broker-options";
import { setConfig, type ArenaConfig } from "../../../../lib/config";
import { durableHandler, type DurableEnvelope, type DurableEventName } from "../../../../mixins/durable-events";
import ApiService, { type ApiSettings, type ApiThis } from "../../../../services/edge/api/api.service";
import ChannelsService from "../../../../services/core/channels/channels.service";
import IdentityService from "../../../../services/core/identity/identity.service";
import UsersService from "../../../../services/core/users/users.service";
import DeliveryService from "../../../../services/media/delivery/delivery.service";
import { DELIVERY_ROUTES } from "../../../../services/media/delivery/delivery.routes";
import StreamsService from "../../../../services/media/streams/streams.service";
import { STREAMS_ROUTES } from "../../../../services/media/streams/streams.routes";
import type { StreamsThis } from "../../../../services/media/streams/streams.context";
import type { LocalMediaProvider } from "../../../../services/media/streams/local-media-provider";
import "../../../../services/media/streams/streams.events";
import { ApiClient, type ApiResponse } from "../../../helpers/api-client";
import type { PublicChannel } from "../../../../services/core/channels/channel-view";
import { createTestDatabase, testConfig, uniqueId, type TestDatabase } from "../../../helpers/infra";
import { CORE_ROUTES, newUser, type TestUser } from "../../core/core-harness";
import { startBrokerOrCleanUp } from "../../../helpers/broker";
import { platformMiddlewares } from "../../../../bin/platform-middlewares";

export const CAPTURED_EVENTS: DurableEventName[] = [
  "stream.started",
  "stream.updated",
  "stream.ended",
  "video.source.ready",
];

export interface StreamsHarness {
  broker: ServiceBroker;
  config: ArenaConfig;
  base: string;
  api: ApiClient;
  db: TestDatabase;
  /** Durable events received by the capture consumer, in arrival order. */
  events: DurableEnvelope[];
  rtmpUrl(): string;
  stop(): Promise<void>;
}

function captureService(events: DurableEnvelope[]): ServiceSchema {
  const channels = Object.assign(
    {},
    ...CAPTURED_EVENTS.map((type) =>
      durableHandler(type, {
        group: "test-capture",
        async handler(envelope) {
          events.push(envelope as DurableEnvelope);
        },
      }),
    ),
  );
  return { name: "capture", channels } as ServiceSchema;
}

export async function startStreams(env: Record<string, string | undefined> = {}): Promise<StreamsHarness> {
  const db = await createTestDatabase("arena_streams");
  const config = await testConfig({
    DATABASE_URL: db.url,
    RATE_LIMIT_PER_IP: "100000",
    RATE_LIMIT_PER_USER: "100000",
    RTMP_PORT: "0",
    LIVE_HLS_LADDER: "144p:200:48",
    LIVE_X264_PRESET: "ultrafast",
    LIVE_RECONNECT_GRACE_S: "3",
    ...env,
  });
  setConfig(config);
  const events: DurableEnvelope[] = [];
  const broker = new ServiceBroker({
    ...buildBrokerOptions({ ...config, nodeId: uniqueId("live") }),
    logger: { type: "Console", options: { level: process.env.TEST_LOG_LEVEL ?? "fatal" } },
    middlewares: platformMiddlewares(config, { retryBaseMs: 50, retryMaxMs: 200, relayIntervalMs: 200 }),
  });
  broker.createService(IdentityService);
  broker.createService(UsersService);
  broker.createService(ChannelsService);
  const streams = broker.createService({
    name: "streams",
    mixins: [StreamsService as unknown as ServiceSchema],
    settings: { healthIntervalMs: 500, segmentSeconds: 1, awsPollIntervalMs: 100 },
  }) as unknown as StreamsThis;
  broker.createService(DeliveryService as unknown as ServiceSchema);
  broker.createService(captureService(events));
  const gatewaySchema: ServiceSchema<ApiSettings> = {
    name: "api",
    mixins: [ApiService as ServiceSchema],
    settings: { routeTables: [...CORE_ROUTES, STREAMS_ROUTES, DELIVERY_ROUTES], jwksMinRefetchMs: 0 },
  };
  const gateway = broker.createService(gatewaySchema) as ApiThis;
  await startBrokerOrCleanUp(broker, () => db.drop());
  const base = `http://127.0.0.1:${gateway.boundPort()}`;
  return {
    broker,
    config,
    base,
    db,
    events,
    api: new ApiClient(base),
    rtmpUrl: () => (streams.provider as LocalMediaProvider).rtmpUrl(),
    async stop() {
      await broker.stop();
      await db.drop();
    },
  };
}

/** A channel and its stream key (shown once); 201 Created, or 200 from older gateways. */
export async function createChannel(
  client: ApiClient,
  input: { slug: string; title: string; category: string },
): Promise<{ channel: PublicChannel; streamKey: string }> {
  const res = (await client.channels.create(input)) as ApiResponse<unknown>;
  if (res.status !== 201 && res.status !== 200)
    throw new Error(`channel create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { channel: PublicChannel; streamKey: string };
}

export interface StreamsWithChannel {
  h: StreamsHarness;
  /** Owns `channelId`. */
  alice: TestUser;
  /** A viewer. */
  bob: TestUser;
  channelId: string;
  streamKey: string;
}

/** The streams slice with what most specs start from: Alice's channel "Alice plays" (fps) and its stream key, and Bob watching. */
export async function startStreamsWithChannel(
  env: Record<string, string | undefined> = {},
): Promise<StreamsWithChannel> {
  const h = await startStreams(env);
  try {
    const alice = await newUser(h, "alice");
    const bob = await newUser(h, "bob");
    const created = await createChannel(alice.api, {
      slug: `alice-${Date.now().toString(36)}`,
      title: "Alice plays",
      category: "fps",
    });
    return { h, alice, bob, channelId: created.channel.id, streamKey: created.streamKey };
  } catch (err) {
    // The spec never sees the harness, so its afterAll cannot stop it.
    await h.stop();
    throw err;
  }
}
