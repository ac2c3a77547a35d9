/**
 * The tournaments slice for integration specs: identity, users, channels
 * and tournaments behind the real REST gateway on port 0, on a fresh
 * PostgreSQL database, with durable events in-process. Actors are real
 * registered users; organizers and admins get their role through identity.
 */
import { randomBytes } from "node:crypto";
import { ServiceBroker, type ServiceSchema } from "moleculer";
import { buildBrokerOptions } from "../../../../bin/broker-options";
import { setConfig, type ArenaConfig } from "../../../../lib/config";
import { DurableEventsMiddleware } from "../../../../mixins/durable-events";
import ApiService, { type ApiSettings, type ApiThis } from "../../../../services/edge/api/api.service";
import ChannelsService from "../../../../services/core/channels/channels.service";
import { channelsRoutes } from "../../../../services/core/channels/channels.routes";
import IdentityService from "../../../../services/core/identity/identity.service";
import { identityRoutes } from "../../../../services/core/identity/identity.routes";
import UsersService from "../../../../services/core/users/users.service";
import { usersRoutes } from "../../../../services/core/users/users.routes";
import TournamentsService, { type TournamentsThis } from "../../../../services/content/tournaments/tournaments.service";
import { tournamentsRoutes } from "../../../../services/content/tournaments/tournaments.routes";
import type { RouteTable } from "../../../../services/edge/api/route-table";
import { ApiClient } from "../../../helpers/api-client";
import { startBrokerOrCleanUp } from "../../../helpers/broker";
import { createTestDatabase, testConfig, uniqueId, type TestDatabase } from "../../../helpers/infra";
import { tournamentsApi, type TournamentsApi } from "../../../helpers/tournaments-api";

export const PASSWORD = "violet-tundra-42-kettle";

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
  /** n plain users, one after the other (password hashing in parallel would only queue behind the thread pool). */
  actors(prefix: string, n: number): Promise<Actor[]>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  extraServices?: ServiceSchema[];
  extraRoutes?: RouteTable[];
  env?: Record<string, string>;
}

export async function startTournaments(opts: HarnessOptions = {}): Promise<TournamentsHarness> {
  const db: TestDatabase = await createTestDatabase("arena_tourn");
  const config = await testConfig({
    DATABASE_URL: db.url,
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
  broker.createService(IdentityService);
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
      routeTables: [identityRoutes, usersRoutes, channelsRoutes, tournamentsRoutes, ...(opts.extraRoutes ?? [])],
      jwksMinRefetchMs: 0,
    },
  };
  const gateway = broker.createService(gatewaySchema) as ApiThis;
  await startBrokerOrCleanUp(broker, () => db.drop());
  const base = `http://127.0.0.1:${gateway.boundPort()}`;

  async function actor(prefix = "u", role?: "organizer" | "admin"): Promise<Actor> {
    const anon = new ApiClient(base);
    // Short and random: usernames are at most 24 characters, and truncating uniqueId() could collide.
    const username = `${prefix.slice(0, 10)}_${randomBytes(6).toString("hex")}`;
    const email = `${username}@example.test`;
    const reg = await anon.auth.register({ email, username, password: PASSWORD });
    if (reg.status !== 201 && reg.status !== 200)
      throw new Error(`register: ${reg.status} ${JSON.stringify(reg.body)}`);
    const id = (reg.body as { id: string }).id;
    if (role) await broker.call("identity.grantRole", { userId: id, role });
    const login = await anon.auth.login({ login: email, password: PASSWORD });
    if (login.status !== 200 || !("accessToken" in login.body)) throw new Error(`login: ${login.status}`);
    const api = anon.as(login.body.accessToken);
    return { id, username, token: login.body.accessToken, api, t: tournamentsApi(api) };
  }

  return {
    broker,
    config,
    base,
    tournaments,
    anonymous: tournamentsApi(new ApiClient(base)),
    actor,
    async actors(prefix, n) {
      const out: Actor[] = [];
      for (let i = 0; i < n; i++) out.push(await actor(`${prefix}${i}`));
      return out;
    },
    async stop() {
      await broker.stop();
      await db.drop();
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
