/**
 * Arena's realtime service alone in a process, as the benchmark runs it:
 * the production service code with stand-in channels/users actions, a
 * bench-only token verifier, no history persistence (the benchmark measures
 * fan-out), and limits raised so the publisher and 10k sockets from one IP
 * are allowed. NATS_URL set = clustered fan-out.
 */
import { ServiceBroker, type ServiceSchema } from "moleculer";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { AuthUser } from "../../lib/auth/auth-user";
import { loadConfig, setConfig } from "../../lib/config";
import RealtimeService, { type RealtimeThis, type Settings } from "../../services/edge/realtime/realtime.service";
import type { ServerEvent } from "./bench-protocol";

async function main(): Promise<void> {
  const namespace = process.env.NAMESPACE ?? "bench";
  const config = await loadConfig({
    ARENA_MODE: "embedded",
    NAMESPACE: namespace,
    DATA_DIR: mkdtempSync(join(tmpdir(), "arena-bench-")),
    METRICS_PORT: "0",
    LOG_LEVEL: "warn",
  });
  setConfig(config);
  const broker = new ServiceBroker({ nodeID: `bench-${process.pid}`, namespace, logger: false, metrics: false });
  broker.createService({
    name: "channels",
    actions: {
      getChatPolicy: {
        params: { channelId: "string" },
        handler: (ctx) => ({
          channelId: (ctx.params as { channelId: string }).channelId,
          ownerId: "pub",
          moderatorIds: [],
          vipIds: [],
        }),
      },
    },
  });
  broker.createService({
    name: "users",
    actions: { getFollow: { params: { userId: "string", channelId: "string" }, handler: () => null } },
  });
  broker.createService({
    name: "chat",
    actions: { getModeration: { params: { channelId: "string" }, handler: () => null } },
  });
  const settings: Settings = {
    host: "127.0.0.1",
    port: Number(process.env.PORT ?? 0),
    natsUrl: process.env.NATS_URL || undefined,
    clustered: Boolean(process.env.NATS_URL),
    redisUrl: undefined,
    persistHistory: false,
    maxConnectionsPerIp: 1_000_000,
    sendLimits: { windowMs: 30000, viewerMax: 20, privilegedMax: 1_000_000, duplicateWindowMs: 30000 },
    coalesceMs: Number(process.env.COALESCE_MS ?? 10),
    // The publisher sends up to 100 frames/s.
    frameBurst: 1000,
    frameRate: 1000,
  };
  const schema: ServiceSchema<Settings> = {
    name: "realtime",
    mixins: [RealtimeService as ServiceSchema],
    settings,
    methods: {
      createTokenVerifier: () => ({
        async verify(token: string): Promise<AuthUser> {
          return { id: token, username: token, roles: ["viewer"] };
        },
      }),
    },
  };
  const svc = broker.createService(schema as ServiceSchema) as unknown as RealtimeThis;
  await broker.start();
  const event: ServerEvent = { ev: "listening", port: svc.gateway.port };
  process.send?.(event);
  process.on("SIGTERM", () => void broker.stop().then(() => process.exit(0)));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
