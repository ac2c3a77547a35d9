/**
 * The analytics slice for integration specs: the community harness (users,
 * channels, the real gateway, JWKS-issued actors) with analytics, on a fresh
 * PostgreSQL database (or embedded PGlite), and a stand-in producer that
 * publishes the real durable event types.
 */
import { Client } from "pg";
import type { Service, ServiceSchema } from "moleculer";
import { DurableEventsMixin, type DurableEventsMethods } from "../../../../mixins/durable-events";
import AnalyticsService, {
  type AnalyticsSettings,
  type AnalyticsThis,
} from "../../../../services/engagement/analytics/analytics.service";
import type { RouteTable } from "../../../../services/edge/api/route-table";
import { startCommunity, type CommunityActor, type CommunityHarness } from "../../../helpers/community-harness";
import { createTestDatabase } from "../../../helpers/infra";

export type Actor = CommunityActor;

export interface AnalyticsHarness extends Pick<CommunityHarness, "broker" | "config" | "base" | "stop"> {
  analytics: AnalyticsThis;
  /** Publishes durable events as their real producers would. */
  producer: Service & DurableEventsMethods;
  /** PostgreSQL database url (undefined on PGlite). */
  dbUrl?: string;
  actor(prefix?: string, role?: "admin" | "creator"): Promise<Actor>;
  responses?: CommunityHarness["responses"];
}

export interface HarnessOptions {
  env?: Record<string, string | undefined>;
  settings?: AnalyticsSettings;
  extraRoutes?: RouteTable[];
  /** Session time zone of every connection to the test database (PostgreSQL only). */
  timeZone?: string;
  /** Check every answer the harness's clients get against the OpenAPI document (`responses`). */
  checkResponses?: boolean;
}

export async function startAnalytics(opts: HarnessOptions = {}): Promise<AnalyticsHarness> {
  const embedded = opts.env && "DATABASE_URL" in opts.env && opts.env.DATABASE_URL === undefined;
  const db = embedded ? undefined : await createTestDatabase("arena_analytics");
  if (db && opts.timeZone) {
    const c = new Client({ connectionString: db.url });
    await c.connect();
    await c.query(`ALTER DATABASE "${db.name}" SET timezone = '${opts.timeZone}'`);
    await c.end();
  }
  const analyticsSchema = {
    name: "analytics",
    mixins: [AnalyticsService as ServiceSchema],
    settings: { rollupIntervalS: 0, flushIntervalMs: 50, ...opts.settings },
  };
  const producerSchema = { name: "producer-standin", mixins: [DurableEventsMixin()] };
  let h: CommunityHarness;
  try {
    h = await startCommunity({
      dbPrefix: "arena_analytics",
      db: db ?? "embedded",
      services: [analyticsSchema, producerSchema],
      routes: opts.extraRoutes ?? [],
      env: { DATABASE_POOL_MAX: "3", ...opts.env },
      relayIntervalMs: 200,
      checkResponses: opts.checkResponses,
    });
  } catch (err) {
    await db?.drop();
    throw err;
  }
  return {
    broker: h.broker,
    config: h.config,
    base: h.base,
    async stop(stopOpts) {
      await h.stop(stopOpts);
      if (!stopOpts?.keepDatabase) await db?.drop();
    },
    analytics: h.service<AnalyticsThis>("analytics"),
    producer: h.service<Service & DurableEventsMethods>("producer-standin"),
    dbUrl: db?.url,
    responses: h.responses,
    actor: (prefix = "u", role) => h.actor(prefix, role ? [role] : []),
  };
}
