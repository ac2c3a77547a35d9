/**
 * The VOD slice for integration specs: identity, users, channels, chat,
 * delivery and videos behind the real REST gateway on port 0, on a fresh
 * PostgreSQL database, with durable events in-process and small timings.
 */
import { ServiceBroker, type ServiceSchema } from "moleculer";
import { buildBrokerOptions } from "../../../../../bin/broker-options";
import { setConfig, type ArenaConfig } from "../../../../../lib/config";
import { TEST_LADDER } from "../../../../../lib/media/hls-ladder";
import ApiService, { type ApiSettings, type ApiThis } from "../../../../../services/edge/api/api.service";
import ChannelsService from "../../../../../services/core/channels/channels.service";
import { channelsRoutes } from "../../../../../services/core/channels/channels.routes";
import IdentityService from "../../../../../services/core/identity/identity.service";
import { identityRoutes } from "../../../../../services/core/identity/identity.routes";
import UsersService from "../../../../../services/core/users/users.service";
import { usersRoutes } from "../../../../../services/core/users/users.routes";
import ChatService from "../../../../../services/media/chat/chat.service";
import { chatRoutes } from "../../../../../services/media/chat/chat.routes";
import DeliveryService from "../../../../../services/media/delivery/delivery.service";
import { DELIVERY_ROUTES } from "../../../../../services/media/delivery/delivery.routes";
import VideosService, {
  type VideosSettings,
  type VideosThis,
} from "../../../../../services/media/videos/videos.service";
import { videosRoutes } from "../../../../../services/media/videos/videos.routes";
import { ApiClient } from "../../../../helpers/api-client";
import { createTestDatabase, testConfig, uniqueId, type TestDatabase } from "../../../../helpers/infra";
import { startBrokerOrCleanUp } from "../../../../helpers/broker";
import { platformMiddlewares } from "../../../../../bin/platform-middlewares";

export const FAST_VIDEO_SETTINGS: Partial<VideosSettings> = {
  ladder: TEST_LADDER,
  ffmpegPreset: "ultrafast",
  jobPollMs: 200,
  jobLeaseMs: 4000,
  jobRetryBaseMs: 100,
  uploadMaxBytes: 5 * 1024 * 1024,
};

export interface VideosHarness {
  broker: ServiceBroker;
  config: ArenaConfig;
  base: string;
  api: ApiClient;
  db: TestDatabase;
  videos: VideosThis;
  stop(opts?: { keepDatabase?: boolean }): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string | undefined>;
  videoSettings?: Partial<VideosSettings>;
  extraServices?: ServiceSchema[];
  /** Reuse a database (restart tests); a fresh one otherwise. */
  db?: TestDatabase;
  withCore?: boolean;
  /** Metrics on (no reporter), to read the service's metrics in tests. */
  metrics?: boolean;
}

export async function startVideos(opts: HarnessOptions = {}): Promise<VideosHarness> {
  const db = opts.db ?? (await createTestDatabase("arena_videos"));
  const config = await testConfig({
    DATABASE_URL: db.url,
    RATE_LIMIT_PER_IP: "100000",
    RATE_LIMIT_PER_USER: "100000",
    ...opts.env,
  });
  setConfig(config);
  const broker = new ServiceBroker({
    ...buildBrokerOptions({ ...config, nodeId: uniqueId("vod") }),
    logger: { type: "Console", options: { level: process.env.TEST_LOG_LEVEL ?? "fatal" } },
    middlewares: platformMiddlewares(config, { retryBaseMs: 50, retryMaxMs: 200, relayIntervalMs: 200 }),
    ...(opts.metrics ? { metrics: { enabled: true, reporter: [] } } : {}),
  });
  const withCore = opts.withCore !== false;
  if (withCore) {
    broker.createService(IdentityService);
    broker.createService(UsersService);
    broker.createService(ChannelsService);
    broker.createService(ChatService);
  }
  broker.createService(DeliveryService as unknown as ServiceSchema);
  const videos = broker.createService({
    name: "videos",
    mixins: [VideosService as unknown as ServiceSchema],
    settings: { ...FAST_VIDEO_SETTINGS, ...opts.videoSettings },
  } as ServiceSchema) as unknown as VideosThis;
  for (const svc of opts.extraServices ?? []) broker.createService(svc);
  const routeTables = withCore
    ? [identityRoutes, usersRoutes, channelsRoutes, chatRoutes, videosRoutes, DELIVERY_ROUTES]
    : [videosRoutes, DELIVERY_ROUTES];
  const gatewaySchema: ServiceSchema<ApiSettings> = {
    name: "api",
    mixins: [ApiService as ServiceSchema],
    settings: { routeTables, jwksMinRefetchMs: 0 },
  };
  const gateway = broker.createService(gatewaySchema) as ApiThis;
  await startBrokerOrCleanUp(broker, async () => (opts.db ? undefined : db.drop()));
  const base = `http://127.0.0.1:${gateway.boundPort()}`;
  return {
    broker,
    config,
    base,
    db,
    videos,
    api: new ApiClient(base),
    async stop(stopOpts = {}) {
      await broker.stop();
      if (!stopOpts.keepDatabase) await db.drop();
    },
  };
}
