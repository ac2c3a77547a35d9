/**
 * The whole of a 256-entrant single-elimination tournament reported through
 * the REST API by 50 concurrent reporters, on PostgreSQL, with the real
 * gateway: both sides of every match report (the second report decides it).
 * Users come from a local JWKS issuer standing in for Keycloak (provisioned
 * on first sight), so no password hashing skews the figures. The baseline,
 * measured in the same run with the same 50 clients, is a read through the
 * same gateway (GET the tournament).
 */
import { randomBytes } from "node:crypto";
import { ServiceBroker, type ServiceSchema } from "moleculer";
import { buildBrokerOptions } from "../../bin/broker-options";
import { setConfig } from "../../lib/config";
import { durableHandler, DurableEventsMiddleware } from "../../mixins/durable-events";
import ApiService, { type ApiSettings, type ApiThis } from "../../services/edge/api/api.service";
import UsersService from "../../services/core/users/users.service";
import ChannelsService from "../../services/core/channels/channels.service";
import TournamentsService, { type TournamentsThis } from "../../services/content/tournaments/tournaments.service";
import { tournamentsRoutes } from "../../services/content/tournaments/tournaments.routes";
import type { MatchView } from "../../services/content/tournaments/tournament.types";
import { ApiClient } from "../../test/helpers/api-client";
import { createTestDatabase, testConfig } from "../../test/helpers/infra";
import { startJwksServer } from "../../test/helpers/jwks-server";
import { ok, tournamentsApi, type TournamentsApi } from "../../test/helpers/tournaments-api";

export interface ApiResult {
  entrants: number;
  reporters: number;
  startMs: number;
  reportsSent: number;
  reportsAccepted: number;
  reportsRefused: number;
  elapsedS: number;
  reportsPerS: number;
  p50Ms: number;
  p99Ms: number;
  readP50Ms: number;
  readP99Ms: number;
  matchesCompleted: number;
  completedEvents: number;
  duplicateEvents: number;
  championCorrect: boolean;
  bracketConsistent: boolean;
}

const pct = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;

async function pool<T>(items: T[], workers: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (next < items.length) await fn(items[next++] as T);
    }),
  );
}

export async function runApiBench(entrants: number, reporters: number): Promise<ApiResult> {
  const kc = await startJwksServer();
  const db = await createTestDatabase("arena_bench_tourn");
  const config = await testConfig({
    DATABASE_URL: db.url,
    OIDC_ISSUER: kc.issuer,
    OIDC_JWKS_URL: kc.jwksUrl,
    JWT_ALGORITHMS: "RS256",
    RATE_LIMIT_PER_IP: "100000000",
    RATE_LIMIT_PER_USER: "100000000",
  });
  setConfig(config);
  const completed = new Map<string, number>();
  const broker = new ServiceBroker({
    ...buildBrokerOptions({ ...config, nodeId: `bench-${randomBytes(3).toString("hex")}` }),
    logger: { type: "Console", options: { level: "error" } },
    middlewares: [DurableEventsMiddleware(config, { relayIntervalMs: 200 })],
  });
  broker.createService(UsersService);
  broker.createService(ChannelsService);
  const tournamentsSvc = broker.createService(
    TournamentsService as unknown as ServiceSchema,
  ) as unknown as TournamentsThis;
  broker.createService({
    name: "bench-recorder",
    channels: durableHandler("tournament.match.completed", {
      group: "bench-recorder",
      async handler(envelope) {
        completed.set(envelope.payload.matchId, (completed.get(envelope.payload.matchId) ?? 0) + 1);
      },
    }),
  } as ServiceSchema);
  const gateway = broker.createService({
    name: "api",
    mixins: [ApiService as ServiceSchema],
    settings: { routeTables: [tournamentsRoutes], jwksMinRefetchMs: 0 },
  } as ServiceSchema<ApiSettings>) as ApiThis;
  await broker.start();
  try {
    const base = `http://127.0.0.1:${gateway.boundPort()}`;
    const client = (token: string): TournamentsApi => tournamentsApi(new ApiClient(base, token));
    const organizer = client(
      await kc.issue({ sub: "bench-organizer", username: "organizer", realmRoles: ["organizer"] }),
    );
    const players: Array<{ id: string; t: TournamentsApi }> = [];
    for (let i = 0; i < entrants; i++) {
      const id = `bench-p${i}`;
      players.push({ id, t: client(await kc.issue({ sub: id, username: `player${i}`, expiresInS: 3600 })) });
    }
    const t = ok(
      await organizer.create({
        name: "Bench Open",
        game: "Bench",
        format: "single_elimination",
        maxEntrants: entrants,
        startsAt: new Date(Date.now() + 3_600_000).toISOString(),
      }),
    );
    ok(await organizer.openRegistration(t.id));
    await pool(players, reporters, async (p) => void ok(await p.t.register(t.id)));
    const startAt = performance.now();
    ok(await organizer.start(t.id));
    const startMs = performance.now() - startAt;
    const entrantsPage = await tournamentsSvc.stores.entrants.find({ query: { tournamentId: t.id } });
    const userOf = new Map(entrantsPage.map((e) => [e.id, e.userId]));
    const seedOf = new Map(entrantsPage.map((e) => [e.id, e.seed as number]));
    const byUser = new Map(players.map((p) => [p.id, p.t]));

    // Baseline: the same 50 clients reading the tournament, as many requests as the reports below.
    const reads: number[] = [];
    const readJobs = Array.from({ length: 2 * (entrants - 1) }, (_, i) => i);
    await pool(readJobs, reporters, async (i) => {
      const started = performance.now();
      ok(await players[i % players.length]!.t.get(t.id));
      reads.push(performance.now() - started);
    });

    // 50 reporters: each takes a report job (one side of a ready match) as matches become ready.
    const latencies: number[] = [];
    let accepted = 0;
    let refused = 0;
    const taken = new Set<string>();
    let finished = false;
    const began = performance.now();
    const nextJobs = async (): Promise<Array<{ m: MatchView; side: 0 | 1 }>> => {
      const page = ok(await organizer.matches(t.id, { status: "ready", limit: 100 }));
      return page.items
        .filter((m) => !taken.has(m.id))
        .flatMap((m) => {
          taken.add(m.id);
          return [0, 1].map((side) => ({ m, side: side as 0 | 1 }));
        });
    };
    const queue: Array<{ m: MatchView; side: 0 | 1 }> = [];
    let refill: Promise<void> | null = null;
    const refillQueue = (): Promise<void> =>
      (refill ??= nextJobs()
        .then((jobs) => void queue.push(...jobs))
        .finally(() => (refill = null)));
    await Promise.all(
      Array.from({ length: reporters }, async () => {
        while (!finished) {
          const job = queue.shift();
          if (!job) {
            await refillQueue();
            if (queue.length === 0) {
              const state = ok(await organizer.get(t.id));
              if (state.status === "completed") finished = true;
              else await new Promise((r) => setTimeout(r, 5));
            }
            continue;
          }
          const { m, side } = job;
          const [a, b] = m.sides.map((s) => s.entrantId as string) as [string, string];
          // The better seed wins, so the expected champion is seed 1.
          const aWins = (seedOf.get(a) as number) < (seedOf.get(b) as number);
          const reporter = byUser.get(userOf.get(side === 0 ? a : b) as string) as TournamentsApi;
          const started = performance.now();
          const res = await reporter.report(t.id, m.id, aWins ? 2 : 0, aWins ? 0 : 2);
          latencies.push(performance.now() - started);
          if (res.status === 200) accepted++;
          else refused++;
        }
      }),
    );
    const elapsedS = (performance.now() - began) / 1000;
    latencies.sort((x, y) => x - y);
    reads.sort((x, y) => x - y);

    const final = ok(await organizer.bracket(t.id));
    const done = final.matches.filter((m) => m.status === "completed");
    // Consistency: every completed match's winner is the better seed and sits in the next match's right side.
    const byKey = new Map(final.matches.map((m) => [m.key, m]));
    let consistent = true;
    for (const m of done) {
      const [a, b] = m.sides.map((s) => s.entrantId as string) as [string, string];
      const winner = (seedOf.get(a) as number) < (seedOf.get(b) as number) ? a : b;
      if (m.winnerEntrantId !== winner) consistent = false;
      const next = m.round < Math.log2(entrants) ? byKey.get(`W${m.round + 1}-${Math.ceil(m.position / 2)}`) : null;
      if (next && next.sides[(m.position - 1) % 2]!.entrantId !== winner) consistent = false;
    }
    const champion = final.tournament.championEntrantId;
    const deadline = Date.now() + 20_000;
    while ([...completed.keys()].length < done.length && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    return {
      entrants,
      reporters,
      startMs,
      reportsSent: latencies.length,
      reportsAccepted: accepted,
      reportsRefused: refused,
      elapsedS,
      reportsPerS: latencies.length / elapsedS,
      p50Ms: pct(latencies, 0.5),
      p99Ms: pct(latencies, 0.99),
      readP50Ms: pct(reads, 0.5),
      readP99Ms: pct(reads, 0.99),
      matchesCompleted: done.length,
      completedEvents: [...completed.values()].reduce((s, n) => s + n, 0),
      duplicateEvents: [...completed.values()].filter((n) => n > 1).length,
      championCorrect: champion !== null && seedOf.get(champion) === 1,
      bracketConsistent: consistent,
    };
  } finally {
    await broker.stop();
    await db.drop();
    await kc.close();
  }
}
