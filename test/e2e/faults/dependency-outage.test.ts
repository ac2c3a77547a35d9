/**
 * Outages of the stores, on a NATS, Redis and PostgreSQL of this suite's
 * own: a gateway and a core node (identity, users, channels) under load.
 *  - Redis down: the fault run saw throughput fall from 350 to 15 req/s with
 *    latency growing to 7 s (commands queued for a reconnect). Now every
 *    Redis call fails at once and the gateway fails open (no rate-limit
 *    headers meanwhile): latency stays where it was.
 *  - PostgreSQL down: the fault run saw a 500 after about 3.3 s per request.
 *    Now a fast 503 with Retry-After while it is down, and 200s again within
 *    about a second of it being back.
 */
import { startE2eCluster, type E2eCluster } from "../../helpers/e2e-cluster";
import { waitFor } from "../../helpers/infra";
import {
  startPrivateNats,
  startPrivatePostgres,
  startPrivateRedis,
  type PrivateServer,
} from "../../helpers/private-servers";
import { REDIS_PROBE_INTERVAL_MS, REDIS_RECONNECT_MAX_MS } from "../../../lib/redis/bounded-redis";
import { DB_GATE_TIMING } from "../../../mixins/db/sql-db";
import { figure, latencies, percentile, startLoad } from "./load";

describe("faults: Redis and PostgreSQL outages", () => {
  let nats: PrivateServer;
  let redis: PrivateServer;
  let postgres: PrivateServer;
  let cluster: E2eCluster;
  let channelsUrl: string;

  beforeAll(async () => {
    [nats, redis, postgres] = await Promise.all([startPrivateNats(), startPrivateRedis(), startPrivatePostgres()]);
    cluster = await startE2eCluster({
      prefix: "fdeps",
      servers: { natsUrl: nats.url, pgAdminUrl: postgres.url },
      nodes: { gw: "api", core: "identity,users,channels" },
      // The read cache off: these cases measure what a request that reaches the stores costs. With it on, a
      // public read cached just before PostgreSQL stops is (rightly) answered 200 for up to READ_CACHE_TTL_S;
      // test/integration/core/channels/read-cache.test.ts covers that bound.
      env: { REDIS_URL: redis.url, READ_CACHE_TTL_S: "0" },
      readyWhen: { channels: "/channels" },
      stopSignal: "SIGKILL",
    });
    channelsUrl = `${cluster.base}/api/v1/channels`;
  });

  afterAll(async () => {
    await cluster?.stop().catch(() => undefined);
    await Promise.all([nats, redis, postgres].map((s) => s?.dispose()));
  });

  /** A few seconds of 10 clients on GET /channels (rate limits in Redis, rows in PostgreSQL). */
  const measure = async (ms: number) => {
    const load = startLoad(10, channelsUrl);
    await new Promise((resolve) => setTimeout(resolve, ms));
    const outcomes = await load.stop();
    return { outcomes, sorted: latencies(outcomes) };
  };

  it("Redis down costs requests nothing: no errors, no latency growth; counting resumes once it is back", async () => {
    const limited = async () => (await fetch(channelsUrl)).headers.get("x-ratelimit-remaining") !== null;
    expect(await limited()).toBe(true);
    const baseline = await measure(2000);

    await redis.stop("SIGKILL");
    const during = await measure(3000);
    const failed = during.outcomes.filter((o) => o.status !== 200);
    const thirds = [0, 1, 2].map((i) =>
      percentile(latencies(during.outcomes.filter((_, j) => Math.floor((3 * j) / during.outcomes.length) === i)), 50),
    );
    figure("Redis down: p50 latency before", percentile(baseline.sorted, 50));
    figure(
      "Redis down: p50 / p99 latency during",
      `${percentile(during.sorted, 50)} / ${percentile(during.sorted, 99)} ms`,
    );
    figure(
      "Redis down: throughput before / during",
      `${Math.round(baseline.outcomes.length / 2)} / ${Math.round(during.outcomes.length / 3)} req/s`,
    );
    expect(failed).toEqual([]);
    // Fail open, at once: no queueing (latency grew to seconds over the outage). The margin is
    // this shared machine's noise; the cost measured per request is a few ms.
    expect(percentile(during.sorted, 50)).toBeLessThan(percentile(baseline.sorted, 50) + 50);
    expect(thirds[2]).toBeLessThan(thirds[0] + 50);
    // The api node keeps counting the run of hits it leased before the outage (lib/rate-limit/leased-store.ts,
    // at most a twentieth of the budget); once that is used up, requests are served unlimited.
    await waitFor(async () => !(await limited()), {
      what: "fail open once the lease is used up",
      timeoutMs: 20000,
      intervalMs: 0,
    });

    await redis.start();
    const backAt = Date.now();
    await waitFor(limited, { what: "rate limits counted again", timeoutMs: 10000, intervalMs: 50 });
    const recovered = Date.now() - backAt;
    figure("Redis back: rate limits counted again after", recovered);
    expect(recovered).toBeLessThan(REDIS_RECONNECT_MAX_MS + REDIS_PROBE_INTERVAL_MS + 1500);
  });

  it("PostgreSQL down answers 503 with Retry-After at once, and 200 again soon after it is back", async () => {
    expect((await fetch(channelsUrl)).status).toBe(200);
    // Fast shutdown: connections are terminated, new ones refused.
    await postgres.stop("SIGINT");
    const during = await measure(2000);
    const statuses = new Set(during.outcomes.map((o) => o.status));
    const retryAfter = (await fetch(channelsUrl)).headers.get("retry-after");
    figure("PostgreSQL down: p50 / slowest 503", `${percentile(during.sorted, 50)} / ${during.sorted.at(-1)} ms`);
    expect([...statuses]).toEqual([503]);
    expect(Number(retryAfter)).toBe(DB_GATE_TIMING.retryAfterS);
    // Before: each request waited out ~3.3 s of reconnect attempts. Now the gate answers at once while the
    // database is known to be down, and only the request that finds out waits (a refused connection): at most
    // one probe interval of the gate.
    expect(percentile(during.sorted, 99)).toBeLessThan(DB_GATE_TIMING.probeIntervalMs);

    await postgres.start();
    const backAt = Date.now();
    await waitFor(async () => (await fetch(channelsUrl)).status === 200, {
      what: "reads after PostgreSQL is back",
      timeoutMs: 15000,
      intervalMs: 50,
    });
    const recovered = Date.now() - backAt;
    figure("PostgreSQL back: 200 again after", recovered);
    // One call per probe interval tries the database while it is marked down.
    expect(recovered).toBeLessThan(DB_GATE_TIMING.probeIntervalMs + 2000);
  });
});
