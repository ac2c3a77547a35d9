/**
 * The core slice for integration specs: identity, users and channels on a
 * fresh PostgreSQL database, behind the real REST gateway on port 0, with the
 * platform's broker options (durable events in-process, short retry timings).
 */
import { ServiceBroker, type ServiceSchema } from "moleculer";
import { buildBrokerOptions } from "../../../bin/broker-options";
import { setConfig, type ArenaConfig } from "../../../lib/config";
import ApiService, { type ApiSettings, type ApiThis } from "../../../services/edge/api/api.service";
import ChannelsService from "../../../services/core/channels/channels.service";
import { channelsRoutes } from "../../../services/core/channels/channels.routes";
import IdentityService from "../../../services/core/identity/identity.service";
import { identityRoutes } from "../../../services/core/identity/identity.routes";
import UsersService from "../../../services/core/users/users.service";
import { usersRoutes } from "../../../services/core/users/users.routes";
import type { RouteTable } from "../../../services/edge/api/route-table";
import { ApiClient } from "../../helpers/api-client";
import { ResponseCheck } from "../../helpers/response-check";
import { createTestDatabase, testConfig, uniqueId, type TestDatabase } from "../../helpers/infra";
import { startBrokerOrCleanUp } from "../../helpers/broker";
import { platformMiddlewares } from "../../../bin/platform-middlewares";

export const CORE_ROUTES = [identityRoutes, usersRoutes, channelsRoutes];

export interface CoreHarness {
  broker: ServiceBroker;
  config: ArenaConfig;
  base: string;
  api: ApiClient;
  /** Undefined on embedded PGlite. */
  db?: TestDatabase;
  /** With `checkResponses`: what the answers of `api` (and clients made from it) got wrong, which operations they reached. */
  responses?: ResponseCheck;
  stop(): Promise<void>;
}

/** A database that is either a fresh PostgreSQL one or embedded PGlite under the private DATA_DIR. */
async function databaseFor(embedded: boolean): Promise<TestDatabase | undefined> {
  return embedded ? undefined : createTestDatabase("arena_core");
}

export async function startCore(
  env: Record<string, string | undefined> = {},
  extraServices: ServiceSchema[] = [],
  opts: { embedded?: boolean; routes?: RouteTable[]; identity?: ServiceSchema; checkResponses?: boolean } = {},
): Promise<CoreHarness> {
  const db = await databaseFor(opts.embedded === true);
  // Generous rate limits: the specs make many calls from one IP.
  const config = await testConfig({
    DATABASE_URL: db?.url,
    RATE_LIMIT_PER_IP: "100000",
    RATE_LIMIT_PER_USER: "100000",
    ...env,
  });
  setConfig(config);
  const options = buildBrokerOptions({ ...config, nodeId: uniqueId("core") });
  const broker = new ServiceBroker({
    ...options,
    logger: { type: "Console", options: { level: process.env.TEST_LOG_LEVEL ?? "fatal" } },
    middlewares: platformMiddlewares(config, { retryBaseMs: 50, retryMaxMs: 200, relayIntervalMs: 200 }),
  });
  broker.createService(opts.identity ?? IdentityService);
  broker.createService(UsersService);
  broker.createService(ChannelsService);
  for (const svc of extraServices) broker.createService(svc);
  const gatewaySchema: ServiceSchema<ApiSettings> = {
    name: "api",
    mixins: [ApiService as ServiceSchema],
    settings: { routeTables: [...CORE_ROUTES, ...(opts.routes ?? [])], jwksMinRefetchMs: 0 },
  };
  const gateway = broker.createService(gatewaySchema) as ApiThis;
  await startBrokerOrCleanUp(broker, async () => db?.drop());
  const base = `http://127.0.0.1:${gateway.boundPort()}`;
  const responses = opts.checkResponses ? await ResponseCheck.load(base) : undefined;
  return {
    broker,
    config,
    base,
    db,
    responses,
    api: new ApiClient(base, undefined, responses?.fetch),
    async stop() {
      await broker.stop();
      await db?.drop();
    },
  };
}

export const PASSWORD = "violet-tundra-42-kettle";

export interface TestUser {
  id: string;
  username: string;
  email: string;
  token: string;
  refreshToken: string;
  api: ApiClient;
}

/** Registers and logs in a fresh user; fails the spec on any non-2xx. */
export async function newUser(h: CoreHarness, prefix = "u"): Promise<TestUser> {
  const username = uniqueId(prefix)
    .slice(0, 24)
    .replace(/[^a-zA-Z0-9_]/g, "_");
  const email = `${username}@example.test`;
  const reg = await h.api.auth.register({ email, username, password: PASSWORD });
  if (reg.status !== 201) throw new Error(`register failed: ${reg.status} ${JSON.stringify(reg.body)}`);
  const login = await h.api.auth.login({ login: email, password: PASSWORD });
  if (login.status !== 200 || !("accessToken" in login.body))
    throw new Error(`login failed: ${login.status} ${JSON.stringify(login.body)}`);
  return {
    id: login.body.user.id,
    username,
    email,
    token: login.body.accessToken,
    refreshToken: login.body.refreshToken,
    api: h.api.as(login.body.accessToken),
  };
}
