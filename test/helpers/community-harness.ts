/**
 * Users, channels and the services a spec names behind the real REST
 * gateway on port 0, on a fresh PostgreSQL database, with durable events
 * in-process. Tokens come from a local JWKS issuer standing in for Keycloak
 * (the production identity path): an actor is a subject with realm roles,
 * provisioned as an Arena user by the gateway on first sight, so specs pay
 * no password hashing per actor (the built-in issuer's login path is the
 * e2e suite's). The one way a spec starts a slice of the platform: the
 * schedules, clips, moderation, tournaments, notifications and analytics
 * harnesses add their services and helpers on top of it.
 */
import { randomBytes } from "node:crypto";
import { ServiceBroker, type Service, type ServiceSchema } from "moleculer";
import { buildBrokerOptions } from "../../bin/broker-options";
import { setConfig, type ArenaConfig } from "../../lib/config";
import { DurableEventsMiddleware } from "../../mixins/durable-events";
import ApiService, { type ApiSettings, type ApiThis } from "../../services/edge/api/api.service";
import ChannelsService from "../../services/core/channels/channels.service";
import { channelsRoutes } from "../../services/core/channels/channels.routes";
import UsersService from "../../services/core/users/users.service";
import { usersRoutes } from "../../services/core/users/users.routes";
import type { RouteTable } from "../../services/edge/api/route-table";
import { ApiClient } from "./api-client";
import { ResponseCheck } from "./response-check";
import { startBrokerOrCleanUp } from "./broker";
import { createTestDatabase, testConfig, uniqueId, type TestDatabase } from "./infra";
import { startJwksServer, type JwksServer } from "./jwks-server";

export interface CommunityActor {
  id: string;
  username: string;
  token: string;
  api: ApiClient;
}

export interface CommunityHarness {
  broker: ServiceBroker;
  config: ArenaConfig;
  base: string;
  /** The spec's PostgreSQL database (undefined on embedded PGlite). */
  db?: TestDatabase;
  kc: JwksServer;
  anonymous: ApiClient;
  /** With `checkResponses`: what the answers of the harness's clients got wrong, and which operations they reached. */
  responses?: ResponseCheck;
  service<T = Service>(name: string): T;
  actor(prefix?: string, roles?: string[]): Promise<CommunityActor>;
  /** A user and their channel. */
  streamer(prefix?: string): Promise<CommunityActor & { channelId: string; slug: string }>;
  /** Stops the broker; drops the database and closes the issuer unless the spec passed them in. */
  stop(opts?: { keepDatabase?: boolean }): Promise<void>;
}

export interface CommunityHarnessOptions {
  /** Database name prefix (unique per spec file). */
  dbPrefix: string;
  /** Created after users and channels, in this order. */
  services: ServiceSchema[];
  routes: RouteTable[];
  env?: Record<string, string | undefined>;
  /** A database of the spec's own (kept at stop), or "embedded" for PGlite in DATA_DIR. */
  db?: TestDatabase | "embedded";
  /** An issuer of the spec's own (kept open at stop), e.g. shared by two nodes. */
  kc?: JwksServer;
  /** How often the durable-events relay polls the outbox (ms). */
  relayIntervalMs?: number;
  /**
   * Every client the harness hands out checks each answer against the served
   * OpenAPI document (test/helpers/response-check.ts); read `responses`.
   */
  checkResponses?: boolean;
  /** Runs after the config is set and before the services are created. */
  beforeServices?: (config: ArenaConfig) => Promise<void> | void;
}

export async function startCommunity(opts: CommunityHarnessOptions): Promise<CommunityHarness> {
  const kc = opts.kc ?? (await startJwksServer());
  const db = opts.db === "embedded" ? undefined : (opts.db ?? (await createTestDatabase(opts.dbPrefix)));
  const ownsDb = opts.db === undefined;
  const release = async (keepDatabase = false) => {
    if (ownsDb && !keepDatabase) await db?.drop();
    if (!opts.kc) await kc.close();
  };
  const config = await testConfig({
    DATABASE_URL: db?.url,
    OIDC_ISSUER: kc.issuer,
    OIDC_JWKS_URL: kc.jwksUrl,
    JWT_ALGORITHMS: "RS256",
    RATE_LIMIT_PER_IP: "1000000",
    RATE_LIMIT_PER_USER: "1000000",
    ...opts.env,
  });
  setConfig(config);
  await opts.beforeServices?.(config);
  const broker = new ServiceBroker({
    ...buildBrokerOptions({ ...config, nodeId: uniqueId(opts.dbPrefix.replace(/^arena_/, "")) }),
    logger: { type: "Console", options: { level: process.env.TEST_LOG_LEVEL ?? "fatal" } },
    middlewares: [
      DurableEventsMiddleware(config, {
        retryBaseMs: 50,
        retryMaxMs: 200,
        relayIntervalMs: opts.relayIntervalMs ?? 100,
      }),
    ],
  });
  broker.createService(UsersService);
  broker.createService(ChannelsService);
  for (const svc of opts.services) broker.createService(svc);
  const gatewaySchema: ServiceSchema<ApiSettings> = {
    name: "api",
    mixins: [ApiService as ServiceSchema],
    settings: { routeTables: [usersRoutes, channelsRoutes, ...opts.routes], jwksMinRefetchMs: 0 },
  };
  const gateway = broker.createService(gatewaySchema) as ApiThis;
  await startBrokerOrCleanUp(broker, () => release());
  const base = `http://127.0.0.1:${gateway.boundPort()}`;
  const responses = opts.checkResponses ? await ResponseCheck.load(base) : undefined;
  const client = (token?: string) => new ApiClient(base, token, responses?.fetch);

  async function actor(prefix = "u", roles: string[] = []): Promise<CommunityActor> {
    const id = `${prefix.slice(0, 10)}-${randomBytes(6).toString("hex")}`;
    const username = id.replace(/-/g, "_");
    const token = await kc.issue({ sub: id, username, realmRoles: roles, expiresInS: 3600 });
    const api = client(token);
    const me = await api.me.get();
    if (me.status !== 200) throw new Error(`provisioning ${id}: ${me.status} ${JSON.stringify(me.body)}`);
    return { id, username, token, api };
  }

  return {
    broker,
    config,
    base,
    db,
    kc,
    anonymous: client(),
    responses,
    service<T = Service>(name: string): T {
      return broker.getLocalService(name) as unknown as T;
    },
    actor,
    async streamer(prefix = "s") {
      const a = await actor(prefix);
      const slug = `${prefix}${randomBytes(4).toString("hex")}`;
      const created = await a.api.channels.create({ slug, title: `${prefix} live` });
      if (created.status !== 201 && created.status !== 200)
        throw new Error(`channel for ${a.id}: ${created.status} ${JSON.stringify(created.body)}`);
      return { ...a, channelId: (created.body as { channel: { id: string } }).channel.id, slug };
    },
    async stop(stopOpts = {}) {
      await broker.stop();
      await release(stopOpts.keepDatabase);
    },
  };
}
