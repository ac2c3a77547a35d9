/**
 * The tournaments slice for integration specs: users, channels and
 * tournaments behind the real REST gateway on port 0, on a fresh PostgreSQL
 * database, with durable events in-process. Tokens come from a local JWKS
 * issuer standing in for Keycloak (the production identity path): an actor
 * is a subject with realm roles, provisioned as an Arena user by the gateway
 * on first sight, so specs pay no password hashing per player. The built-in
 * issuer's login path is exercised by the e2e suite.
 */
import { randomBytes } from "node:crypto";
import { ServiceBroker, type ServiceSchema } from "moleculer";
import { buildBrokerOptions } from "../../../../bin/broker-options";
import { setConfig, type ArenaConfig } from "../../../../lib/config";
import { DurableEventsMiddleware } from "../../../../mixins/durable-events";
import ApiService, { type ApiSettings, type ApiThis } from "../../../../services/edge/api/api.service";
import ChannelsService from "../../../../services/core/channels/channels.service";
import { channelsRoutes } from "../../../../services/core/channels/channels.routes";
import UsersService from "../../../../services/core/users/users.service";
import { usersRoutes } from "../../../../services/core/users/users.routes";
import TournamentsService, { type TournamentsThis } from "../../../../services/content/tournaments/tournaments.service";
import { tournamentsRoutes } from "../../../../services/content/tournaments/tournaments.routes";
import type { RouteTable } from "../../../../services/edge/api/route-table";
import { ApiClient } from "../../../helpers/api-client";
import { startBrokerOrCleanUp } from "../../../helpers/broker";
import { createTestDatabase, testConfig, uniqueId, type TestDatabase } from "../../../helpers/infra";
import { startJwksServer } from "../../../helpers/jwks-server";
import { tournamentsApi, type TournamentsApi } from "../../../helpers/tournaments-api";

export interface Actor {
  id: string;
  username: string;
  token: string;
  api: ApiClient;
  t: TournamentsApi;
}

export interface TournamentsHarness {
  broker: ServiceBroker;
  config: ArenaConfig;
  base: string;
  tournaments: TournamentsThis;
  anonymous: TournamentsApi;
  actor(prefix?: string, role?: "organizer" | "admin"): Promise<Actor>;
  /** n plain users. */
  actors(prefix: string, n: number): Promise<Actor[]>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  extraServices?: ServiceSchema[];
  extraRoutes?: RouteTable[];
  env?: Record<string, string | undefined>;
}

export async function startTournaments(opts: HarnessOptions = {}): Promise<TournamentsHarness> {
  const kc = await startJwksServer();
  const db: TestDatabase = await createTestDatabase("arena_tourn");
  const config = await testConfig({
    DATABASE_URL: db.url,
    OIDC_ISSUER: kc.issuer,
    OIDC_JWKS_URL: kc.jwksUrl,
    JWT_ALGORITHMS: "RS256",
    RATE_LIMIT_PER_IP: "1000000",
    RATE_LIMIT_PER_USER: "1000000",
    ...opts.env,
  });
  setConfig(config);
  const broker = new ServiceBroker({
    ...buildBrokerOptions({ ...config, nodeId: uniqueId("tourn") }),
    logger: { type: "Console", options: { level: process.env.TEST_LOG_LEVEL ?? "fatal" } },
    middlewares: [DurableEventsMiddleware(config, { retryBaseMs: 50, retryMaxMs: 200, relayIntervalMs: 200 })],
  });
  broker.createService(UsersService);
  broker.createService(ChannelsService);
  const tournaments = broker.createService(
    TournamentsService as unknown as ServiceSchema,
  ) as unknown as TournamentsThis;
  for (const svc of opts.extraServices ?? []) broker.createService(svc);
  const gatewaySchema: ServiceSchema<ApiSettings> = {
    name: "api",
    mixins: [ApiService as ServiceSchema],
    settings: {
      routeTables: [usersRoutes, channelsRoutes, tournamentsRoutes, ...(opts.extraRoutes ?? [])],
      jwksMinRefetchMs: 0,
    },
  };
  const gateway = broker.createService(gatewaySchema) as ApiThis;
  await startBrokerOrCleanUp(broker, async () => {
    await db.drop();
    await kc.close();
  });
  const base = `http://127.0.0.1:${gateway.boundPort()}`;

  async function actor(prefix = "u", role?: "organizer" | "admin"): Promise<Actor> {
    const id = `${prefix.slice(0, 10)}-${randomBytes(6).toString("hex")}`;
    const username = id.replace(/-/g, "_");
    const token = await kc.issue({ sub: id, username, realmRoles: role ? [role] : [], expiresInS: 3600 });
    const api = new ApiClient(base, token);
    // The gateway provisions the user on the first authenticated request.
    const me = await api.me.get();
    if (me.status !== 200) throw new Error(`provisioning ${id}: ${me.status} ${JSON.stringify(me.body)}`);
    return { id, username, token, api, t: tournamentsApi(api) };
  }

  return {
    broker,
    config,
    base,
    tournaments,
    anonymous: tournamentsApi(new ApiClient(base)),
    actor,
    actors: (prefix, n) => Promise.all(Array.from({ length: n }, (_, i) => actor(`${prefix}${i}`))),
    async stop() {
      await broker.stop();
      await db.drop();
      await kc.close();
    },
  };
}

/** A tournament body with sensible defaults; override what the spec is about. */
export function tournamentInput(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "Spring Cup",
    game: "Arena Fighters",
    format: "single_elimination",
    maxEntrants: 8,
    startsAt: new Date(Date.now() + 86_400_000).toISOString(),
    ...overrides,
  };
}
