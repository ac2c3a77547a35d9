/**
 * One broker with the realtime gateway (port 0), the real chat service on
 * a fresh PostgreSQL database, and channels/users stand-ins.
 */
import { ServiceBroker, type ServiceSchema } from "moleculer";
import type { TokenVerifier } from "../../../../lib/auth/token-verifier";
import { setConfig, type ArenaConfig } from "../../../../lib/config";
import ChatService from "../../../../services/media/chat/chat.service";
import RealtimeService, { type RealtimeThis, type Settings } from "../../../../services/edge/realtime/realtime.service";
import { createTestDatabase, testConfig, uniqueId, type TestDatabase } from "../../../helpers/infra";
import { PolicyBook, standInServices, testTokenVerifier } from "./stand-ins";

export interface RealtimeHarness {
  broker: ServiceBroker;
  config: ArenaConfig;
  book: PolicyBook;
  url: string;
  realtime: RealtimeThis;
  stop(): Promise<void>;
}

export async function startRealtime(
  settings: Settings = {},
  env: Record<string, string> = {},
  verifier: TokenVerifier = testTokenVerifier,
): Promise<RealtimeHarness> {
  const db: TestDatabase = await createTestDatabase("arena_rt");
  const config = await testConfig({ DATABASE_URL: db.url, CORS_ORIGINS: "http://allowed.test", ...env });
  setConfig(config);
  const broker = new ServiceBroker({
    nodeID: uniqueId("rt"),
    namespace: config.namespace,
    logger: false,
    metrics: { enabled: true, reporter: [] },
  });
  const book = new PolicyBook();
  for (const svc of standInServices(book)) broker.createService(svc);
  broker.createService(ChatService);
  const schema: ServiceSchema<Settings> = {
    name: "realtime",
    mixins: [RealtimeService as ServiceSchema],
    settings: { host: "127.0.0.1", port: 0, ...settings },
    methods: { createTokenVerifier: () => verifier },
  };
  const realtime = broker.createService(schema as ServiceSchema) as unknown as RealtimeThis;
  try {
    await broker.start();
  } catch (err) {
    await broker.stop().catch(() => undefined);
    await db.drop();
    throw err;
  }
  return {
    broker,
    config,
    book,
    realtime,
    url: `ws://127.0.0.1:${realtime.gateway.port}/`,
    async stop() {
      await broker.stop();
      await db.drop();
    },
  };
}
