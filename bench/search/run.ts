/**
 * `npm run bench:search`: GET /search's action over a generated corpus of
 * mixed documents (default 100k) on PostgreSQL, against the naive scan a
 * search box without an index would run (`ILIKE '%word%'` on title, body
 * and tags, every word, most popular first) over the same rows, in the same
 * run. Modes alternate order every round; the report takes medians.
 *
 *   arena         search.query through the broker, result cache off (every query runs its SQL)
 *   arena-cached  the same with the result cache (in-process layer in front of Redis), every query asked once before
 *   arena-redis   the same with the Redis layer alone (every answer a Redis round trip)
 *   naive         the ILIKE statement straight on the pool (no broker: the baseline is flattered)
 *
 * Also: event-to-searchable delay (a durable channel.created published until
 * a search finds it) and the index size per document.
 *
 * Options: --docs 100000 --queries 150 --naive-queries 40 --rounds 3 --duration 4 --concurrency 4
 *          --keep (leave the database for EXPLAIN; its name is printed)
 *          --reuse <database> (a database a --keep run left: skips generating and indexing; implies --keep)
 *          --modes arena,naive (only these modes)
 *          --indexers (concurrent index writers and the lexicon instead: indexers.ts, its own options)
 */
import { readFile, rm } from "node:fs/promises";
import { performance } from "node:perf_hooks";
import { cpus, loadavg } from "node:os";
import { ServiceBroker, type ServiceSchema } from "moleculer";
import { buildBrokerOptions } from "../../bin/broker-options";
import { loadConfig, setConfig } from "../../lib/config";
import { callAction } from "../../lib/contracts";
import { DurableEventsMiddleware } from "../../mixins/durable-events";
import { createEnvelope } from "../../mixins/durable-events/envelope";
import { getRuntime } from "../../mixins/durable-events/runtime";
import { writeDocs } from "../../services/content/search/index-store";
import { LocalResultCache } from "../../services/content/search/local-result-cache";
import { NoResultCache, type ResultCache } from "../../services/content/search/result-cache";
import type { SearchAnswer } from "../../services/content/search/search.context";
import SearchService, { type SearchThis } from "../../services/content/search/search.service";
import { fold, words } from "../../services/content/search/text-fold";
import "../../services/content/search/search.contract";
import { generateCorpus, generateQueries } from "./corpus";
import { indexersBench } from "./indexers";
import { BENCH_PG_ADMIN_URL, createBenchDatabase, type BenchDatabase } from "../shared/database";
import { median, percentile } from "../shared/stats";

const args = process.argv.slice(2);
const opt = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
};
const DOCS = Number(opt("docs", "100000"));
const QUERIES = Number(opt("queries", "150"));
const NAIVE_QUERIES = Number(opt("naive-queries", "40"));
const ROUNDS = Number(opt("rounds", "3"));
const DURATION_MS = Number(opt("duration", "4")) * 1000;
const CONCURRENCY = Number(opt("concurrency", "4"));
const REUSE = opt("reuse", "");
const KEEP = args.includes("--keep") || REUSE !== "";
const MODES = opt("modes", "arena,naive,arena-cached,arena-redis").split(",");
const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";

/** A database an earlier --keep run left (never dropped here). */
function reuseBenchDatabase(name: string): BenchDatabase {
  const url = new URL(BENCH_PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return { name, url: url.toString(), drop: async () => undefined };
}

interface Figures {
  p50: number;
  p99: number;
  qps: number;
  /** CPU per query (µs) of this process and of the database's server processes: steadier than latency under load. */
  nodeUs: number;
  pgUs: number;
}

/**
 * CPU time (ns) each server process of the bench database has run, from /proc/<pid>/schedstat (PostgreSQL on
 * this host, readable by this user); null when it is not. A mode's figure is the growth of the processes open at
 * both ends (a backend the pool closed meanwhile, or a parallel worker, is missed: a lower bound).
 */
let pgCpuNs: () => Promise<Map<number, number> | null> = async () => null;
function watchServerCpu(svc: SearchThis): void {
  pgCpuNs = async () => {
    const rows = await svc.db.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE datname = current_database()",
    );
    const ns = new Map<number, number>();
    for (const { pid } of rows) {
      try {
        ns.set(pid, Number((await readFile(`/proc/${pid}/schedstat`, "utf8")).split(" ")[0]));
      } catch {
        // Ended meanwhile, or PostgreSQL is not on this host (then no process reads).
      }
    }
    return ns.size > 0 ? ns : null;
  };
}

function cpuGrowth(before: Map<number, number> | null, after: Map<number, number> | null): number {
  if (!before || !after) return NaN;
  let ns = 0;
  for (const [pid, t] of after) ns += t - (before.get(pid) ?? 0);
  return ns;
}

type Mode = "arena" | "arena-cached" | "arena-redis" | "naive";
type Run = (q: string) => Promise<unknown>;

/** Sequential latencies over `queries`, then queries/s with CONCURRENCY callers for DURATION_MS. */
async function measure(run: Run, queries: string[]): Promise<Figures> {
  const pg0 = await pgCpuNs();
  const node0 = process.cpuUsage();
  const times: number[] = [];
  for (const q of queries) {
    const t0 = performance.now();
    await run(q);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  let done = 0;
  let next = 0;
  const end = performance.now() + DURATION_MS;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        await run(queries[next++ % queries.length] as string);
        done++;
      }
    }),
  );
  const asked = queries.length + done;
  const node = process.cpuUsage(node0);
  const pg = cpuGrowth(pg0, await pgCpuNs());
  return {
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    qps: done / ((performance.now() - t0) / 1000),
    nodeUs: (node.user + node.system) / asked,
    pgUs: pg / 1000 / asked,
  };
}

/** The scan a search box without an index runs: every word somewhere in title, body or tags, popular first. */
function naive(svc: SearchThis): Run {
  return (q) => {
    const ws = words(fold(q));
    const binds = ws.map((w) => `%${w}%`);
    const where = ws.map(
      (_, i) => `(d.title ILIKE $${i + 1} OR d.body ILIKE $${i + 1} OR d.tags::text ILIKE $${i + 1})`,
    );
    return svc.db.query(
      `SELECT d.id, d.type, d.title, d.body, d.path, d.owner_id, d.category, d.tags, d.live, d.popularity
         FROM documents d WHERE d.visible AND ${where.join(" AND ") || "true"}
        ORDER BY d.live DESC, d.popularity DESC, d.id LIMIT 21`,
      binds,
    );
  };
}

async function main(): Promise<void> {
  const loadStart = loadavg()[0] ?? 0;
  const db = REUSE ? reuseBenchDatabase(REUSE) : await createBenchDatabase("search");
  const dbName = db.name;
  const config = await loadConfig({
    ...process.env,
    ARENA_MODE: "embedded",
    DATABASE_URL: db.url,
    DATABASE_POOL_MAX: process.env.DATABASE_POOL_MAX ?? "5",
    REDIS_URL,
    SEARCH_CACHE_TTL_MS: "600000",
    NAMESPACE: `bench${Date.now().toString(36)}`,
    DATA_DIR: process.env.DATA_DIR ?? `/tmp/${dbName}`,
    METRICS_PORT: "0",
    LOG_LEVEL: "warn",
  });
  setConfig(config);
  const broker = new ServiceBroker({
    ...buildBrokerOptions({ ...config, nodeId: "bench-search" }),
    logger: false,
    middlewares: [DurableEventsMiddleware(config)],
  });
  const svc = broker.createService(SearchService as unknown as ServiceSchema) as unknown as SearchThis;
  watchServerCpu(svc);
  try {
    await broker.start();
    console.log(
      `# search: ${DOCS} documents, ${QUERIES} queries (naive: ${NAIVE_QUERIES}), ${ROUNDS} rounds, ` +
        `${CONCURRENCY} concurrent callers for ${DURATION_MS / 1000} s; ${cpus().length} cores, load ${loadStart.toFixed(1)}`,
    );
    if (!REUSE) {
      const t0 = performance.now();
      const corpus = generateCorpus(DOCS);
      for (let i = 0; i < corpus.length; i += 1000) await writeDocs(svc, corpus.slice(i, i + 1000));
      await svc.db.query("ANALYZE documents; ANALYZE terms; ANALYZE term_deletions");
      console.log(`indexed ${corpus.length} documents in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
    const [size] = await svc.db.query<{ docs: string; total: string; heap: string; terms: string; visible: string }>(
      `SELECT (SELECT count(*) FROM documents) AS docs, (SELECT count(*) FROM documents WHERE visible) AS visible,
              pg_total_relation_size('documents') AS total, pg_relation_size('documents') AS heap,
              pg_total_relation_size('terms') + pg_total_relation_size('term_deletions') AS terms`,
    );
    const perDoc = (Number(size?.total) + Number(size?.terms)) / Number(size?.docs);
    console.log(
      `index size: ${(Number(size?.total) / 1048576).toFixed(1)} MB documents (heap ${(Number(size?.heap) / 1048576).toFixed(1)} MB, rest indexes and TOAST) ` +
        `+ ${(Number(size?.terms) / 1048576).toFixed(1)} MB lexicon = ${Math.round(perDoc)} B per document (${size?.visible} visible)`,
    );

    const queries = generateQueries(QUERIES);
    const naiveQueries = queries.slice(0, NAIVE_QUERIES);
    const cache: ResultCache<SearchAnswer> = svc.cache;
    const off = new NoResultCache<SearchAnswer>();
    const redisOnly = cache instanceof LocalResultCache ? cache.shared : cache;
    const search: Run = (q) => callAction(broker, "search.query", { q, limit: 20 });
    const hits: number[] = [];
    for (const q of queries.slice(0, 30)) hits.push((await callAction(broker, "search.query", { q })).items.length);
    console.log(
      `warm-up: ${hits.filter((n) => n > 0).length}/30 queries with results; e.g. ${queries.slice(0, 6).join(" | ")}`,
    );

    const modes: Record<Mode, () => Promise<Figures>> = {
      arena: async () => {
        svc.cache = off;
        return measure(search, queries);
      },
      "arena-cached": async () => {
        svc.cache = cache;
        await cache.invalidate();
        for (const q of queries) await search(q);
        return measure(search, queries);
      },
      "arena-redis": async () => {
        svc.cache = redisOnly;
        await redisOnly.invalidate();
        for (const q of queries) await search(q);
        return measure(search, queries);
      },
      naive: async () => measure(naive(svc), naiveQueries),
    };
    const order = (["arena", "naive", "arena-cached", "arena-redis"] as Mode[]).filter((m) => MODES.includes(m));
    const results: Record<Mode, Figures[]> = { arena: [], "arena-cached": [], "arena-redis": [], naive: [] };
    const ratios: number[] = [];
    const cpuRatios: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const rotated = [...order.slice(round % order.length), ...order.slice(0, round % order.length)];
      const inRound: Partial<Record<Mode, Figures>> = {};
      for (const mode of rotated) {
        const f = await modes[mode]();
        inRound[mode] = f;
        results[mode].push(f);
        console.log(
          `round ${round + 1} ${mode.padEnd(12)} p50 ${f.p50.toFixed(2)} ms  p99 ${f.p99.toFixed(2)} ms  ${f.qps.toFixed(0)} q/s  ` +
            `CPU/query: node ${f.nodeUs.toFixed(0)} µs, PostgreSQL ${f.pgUs.toFixed(0)} µs`,
        );
      }
      if (inRound.arena && inRound.naive) {
        ratios.push(inRound.naive.p50 / inRound.arena.p50);
        const cpu = (f: Figures) => f.nodeUs + f.pgUs;
        cpuRatios.push(cpu(inRound.naive) / cpu(inRound.arena));
      }
    }
    svc.cache = cache;
    console.log(
      "\n| mode | rounds | p50 ms (median) | p99 ms (median) | queries/s (median) | CPU µs/query node + PostgreSQL (median) |\n|---|---:|---:|---:|---:|---:|",
    );
    for (const mode of ["arena", "arena-cached", "arena-redis", "naive"] as Mode[]) {
      const rs = results[mode];
      if (rs.length === 0) continue;
      console.log(
        `| ${mode} | ${rs.length} | ${median(rs.map((r) => r.p50)).toFixed(2)} | ${median(rs.map((r) => r.p99)).toFixed(2)} | ${median(rs.map((r) => r.qps)).toFixed(0)} | ` +
          `${median(rs.map((r) => r.nodeUs)).toFixed(0)} + ${median(rs.map((r) => r.pgUs)).toFixed(0)} |`,
      );
    }
    console.log(
      `naive p50 / arena p50 (median of per-round ratios): ${median(ratios).toFixed(1)}x ` +
        `(per round: ${ratios.map((r) => `${r.toFixed(1)}x`).join(", ")}); ` +
        `CPU per query, naive / arena: ${median(cpuRatios).toFixed(1)}x`,
    );

    // Event to searchable: the durable event published, polled by search until found.
    svc.cache = off;
    const delays: number[] = [];
    for (let i = 0; i < 20; i++) {
      const id = `fresh${i}`;
      const title = `Freshness probe zq${i}x${Date.now().toString(36)}`;
      const started = performance.now();
      await getRuntime(broker).publish(
        createEnvelope(
          "channel.created",
          { channelId: id, ownerId: "bench", slug: id, title, category: null, createdAt: new Date().toISOString() },
          "bench",
        ),
      );
      const q = title.split(" ")[2] as string;
      while ((await callAction(broker, "search.query", { q })).items.length === 0) {
        if (performance.now() - started > 10_000) throw new Error("event not searchable within 10 s");
        await new Promise((r) => setTimeout(r, 2));
      }
      delays.push(performance.now() - started);
    }
    delays.sort((a, b) => a - b);
    console.log(
      `event to searchable (20 channel.created, in-process durable events on PostgreSQL): p50 ${percentile(delays, 50).toFixed(1)} ms, max ${delays[delays.length - 1]?.toFixed(1)} ms`,
    );
    console.log(`load average: ${loadStart.toFixed(1)} at start, ${(loadavg()[0] ?? 0).toFixed(1)} at end`);
    svc.cache = cache;
  } finally {
    await broker.stop();
    if (KEEP) console.log(`kept database ${dbName} (drop it when done)`);
    else await db.drop();
    // The data directory the run made (empty unless a service wrote files): leave no temp directories.
    if (!process.env.DATA_DIR) await rm(`/tmp/${dbName}`, { recursive: true, force: true });
  }
}

// `--indexers`: the concurrent index writers' bench (indexers.ts) instead of the query bench.
(args.includes("--indexers") ? indexersBench(args) : main()).catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
