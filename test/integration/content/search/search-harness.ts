/**
 * The search slice for integration specs: the search service behind the
 * real REST gateway on port 0, on a fresh PostgreSQL database (or embedded
 * PGlite with `DATABASE_URL: undefined`), durable events in-process. Events
 * are delivered through the durable-events runtime exactly as a producer's
 * relay hands them over, with the time they happened chosen by the spec
 * (out-of-order delivery), so no transcoding or live ingest is needed to
 * build a corpus.
 */
import { ServiceBroker, type ServiceSchema } from "moleculer";
import { buildBrokerOptions } from "../../../../bin/broker-options";
import { setConfig, type ArenaConfig } from "../../../../lib/config";
import { emitEvent } from "../../../../lib/contracts";
import { DurableEventsMiddleware, type DurableEventName } from "../../../../mixins/durable-events";
import type { DurableEventMap } from "../../../../mixins/durable-events/catalog";
import { createEnvelope } from "../../../../mixins/durable-events/envelope";
import { getRuntime } from "../../../../mixins/durable-events/runtime";
import ApiService, { type ApiSettings, type ApiThis } from "../../../../services/edge/api/api.service";
import SearchService, { type SearchThis } from "../../../../services/content/search/search.service";
import { searchRoutes } from "../../../../services/content/search/search.routes";
import type { RouteTable } from "../../../../services/edge/api/route-table";
import { ApiClient } from "../../../helpers/api-client";
import { startBrokerOrCleanUp } from "../../../helpers/broker";
import { createTestDatabase, testConfig, uniqueId, waitFor, type TestDatabase } from "../../../helpers/infra";
import { startJwksServer } from "../../../helpers/jwks-server";
import "../../../../services/edge/realtime/realtime.events";

export interface SearchHarness {
  broker: ServiceBroker;
  config: ArenaConfig;
  search: SearchThis;
  api: ApiClient;
  /** Delivers a durable event as the producer `producer` would have published it at `at`. */
  deliver<N extends DurableEventName>(type: N, payload: DurableEventMap[N], at?: Date): Promise<string>;
  /** Waits until the search group handled these event ids. */
  handled(ids: string[]): Promise<void>;
  viewers(channelId: string, viewerCount: number): Promise<void>;
  /** An access token of user `userId` (the gateway provisions the user when UsersService runs). */
  token(userId: string): Promise<string>;
  stop(): Promise<void>;
}

export interface SearchHarnessOptions {
  env?: Record<string, string | undefined>;
  extraServices?: ServiceSchema[];
  extraRoutes?: RouteTable[];
}

export async function startSearch(opts: SearchHarnessOptions = {}): Promise<SearchHarness> {
  const kc = await startJwksServer();
  const embedded = "DATABASE_URL" in (opts.env ?? {}) && opts.env?.DATABASE_URL === undefined;
  const db: TestDatabase | null = embedded ? null : await createTestDatabase("arena_search");
  const config = await testConfig({
    DATABASE_URL: db?.url,
    OIDC_ISSUER: kc.issuer,
    OIDC_JWKS_URL: kc.jwksUrl,
    JWT_ALGORITHMS: "RS256",
    RATE_LIMIT_PER_IP: "1000000",
    RATE_LIMIT_PER_USER: "1000000",
    RATE_LIMIT_SEARCH_PER_IP: "1000000",
    ...opts.env,
  });
  setConfig(config);
  const broker = new ServiceBroker({
    ...buildBrokerOptions({ ...config, nodeId: uniqueId("search") }),
    logger: { type: "Console", options: { level: process.env.TEST_LOG_LEVEL ?? "fatal" } },
    middlewares: [DurableEventsMiddleware(config, { retryBaseMs: 50, retryMaxMs: 200, relayIntervalMs: 200 })],
  });
  const search = broker.createService(SearchService as unknown as ServiceSchema) as unknown as SearchThis;
  for (const svc of opts.extraServices ?? []) broker.createService(svc);
  const gatewaySchema: ServiceSchema<ApiSettings> = {
    name: "api",
    mixins: [ApiService as ServiceSchema],
    settings: { routeTables: [searchRoutes, ...(opts.extraRoutes ?? [])], jwksMinRefetchMs: 0 },
  };
  const gateway = broker.createService(gatewaySchema) as ApiThis;
  await startBrokerOrCleanUp(broker, async () => {
    await db?.drop();
    await kc.close();
  });
  const base = `http://127.0.0.1:${gateway.boundPort()}`;

  async function handled(ids: string[]): Promise<void> {
    await waitFor(
      async () => {
        const rows = await search.db.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM processed_events WHERE consumer_group = 'search' AND event_id = ANY($1::text[])",
          [ids],
        );
        return Number(rows[0]?.n) === ids.length;
      },
      { what: `${ids.length} search events handled`, timeoutMs: 20_000 },
    );
  }

  return {
    broker,
    config,
    search,
    api: new ApiClient(base),
    async deliver(type, payload, at = new Date()) {
      const envelope = createEnvelope(type, payload, "test-producer", at);
      await getRuntime(broker).publish(envelope);
      return envelope.id;
    },
    handled,
    async viewers(channelId, viewerCount) {
      await emitEvent(broker, "stream.viewers.sampled", { channelId, viewerCount, at: new Date().toISOString() });
    },
    token: (userId) => kc.issue({ sub: userId, username: userId }),
    async stop() {
      await broker.stop();
      await db?.drop();
      await kc.close();
    },
  };
}
