/**
 * `npm run bench:search -- --indexers [K]`: concurrent index writers on PostgreSQL. Every transaction indexes a
 * batch of documents whose title and tags carry words no document had (a new video's title does), so each
 * one adds words to the lexicon (`words`, `terms`) and makes the lexicon's version move. Modes, alternated
 * every round, each on its own fresh documents:
 *
 *   fresh-1   one indexer, new words                (the baseline nobody can queue behind)
 *   fresh-K   K concurrent indexers, new words      (the case measured)
 *   known-K   K concurrent indexers, the same kind of documents with their words already in the lexicon
 *             (added untimed first): the same document writes, with no word added and no version moved
 *
 * Reported per mode (medians of the rounds): documents/s, transaction p50/p99, and lock waits: a separate
 * connection samples pg_stat_activity every 2 ms and counts the bench database's backends waiting on a
 * heavyweight lock (a row another transaction updated: wait_event_type 'Lock'); "waiting" is the mean share
 * of the indexers found waiting.
 *
 * Options: --indexers 4 --docs 2000 (per mode and round) --batch 1 (documents per transaction) --rounds 3
 *          --base 20000 (a corpus indexed first, so the indexes have a realistic size)
 */
import { rm } from "node:fs/promises";
import { performance } from "node:perf_hooks";
import { cpus, loadavg } from "node:os";
import { ServiceBroker, type ServiceSchema } from "moleculer";
import { Client } from "pg";
import { buildBrokerOptions } from "../../bin/broker-options";
import { loadConfig, setConfig } from "../../lib/config";
import { rowOf, writeDocs } from "../../services/content/search/index-store";
import type { SearchDoc } from "../../services/content/search/search-doc";
import SearchService, { type SearchThis } from "../../services/content/search/search.service";
import { generateCorpus } from "./corpus";
import { createBenchDatabase, type BenchDatabase } from "../shared/database";
import { median, percentile } from "../shared/stats";

type Mode = "fresh-1" | "fresh-K" | "known-K";

interface Figures {
  docsPerS: number;
  p50: number;
  p99: number;
  /** Mean share of the indexers waiting on a lock, over the samples. */
  waiting: number;
  /** Share of samples with at least one indexer waiting on a lock. */
  anyWaiting: number;
}

/** Counts lock-waiting backends of one database every 2 ms on its own connection, until stopped. */
function lockSampler(url: string, dbName: string) {
  const client = new Client({ connectionString: url });
  let running = false;
  let samples: number[] = [];
  let loop: Promise<void> = Promise.resolve();
  return {
    connect: () => client.connect(),
    start(): void {
      running = true;
      samples = [];
      loop = (async () => {
        while (running) {
          const { rows } = await client.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity
              WHERE datname = $1 AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`,
            [dbName],
          );
          samples.push(Number(rows[0]?.n ?? 0));
          await new Promise((r) => setTimeout(r, 2));
        }
      })();
    },
    async stop(): Promise<number[]> {
      running = false;
      await loop;
      return samples;
    },
    end: () => client.end(),
  };
}

/** `count` documents of the bench corpus, each with two words of its own (title and tag) no other document has. */
function freshDocs(tag: string, count: number, seed: number): SearchDoc[] {
  return generateCorpus(count, seed).map((doc, i) => {
    const id = `${tag}${i}`;
    return {
      ...doc,
      sourceId: `${doc.sourceId}${tag}`,
      id: `${doc.type}:${doc.sourceId}${tag}`,
      title: `${doc.title} qz${id}`,
      tags: [...doc.tags, `kx${id}`],
      listed: true,
      deleted: false,
    };
  });
}

async function runMode(
  svc: SearchThis,
  sampler: ReturnType<typeof lockSampler>,
  docs: SearchDoc[],
  indexers: number,
  batch: number,
): Promise<Figures> {
  const times: number[] = [];
  let next = 0;
  sampler.start();
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: indexers }, async () => {
      for (;;) {
        const start = next;
        next += batch;
        if (start >= docs.length) return;
        const t = performance.now();
        await svc.db.transaction(() => writeDocs(svc, docs.slice(start, start + batch)));
        times.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  const samples = await sampler.stop();
  times.sort((a, b) => a - b);
  const mean = samples.reduce((a, b) => a + b, 0) / Math.max(1, samples.length);
  return {
    docsPerS: docs.length / seconds,
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    waiting: mean / indexers,
    anyWaiting: samples.filter((n) => n > 0).length / Math.max(1, samples.length),
  };
}

/** Puts the documents' words in the lexicon beforehand, so writing them adds none. */
async function addWordsFirst(svc: SearchThis, docs: SearchDoc[]): Promise<void> {
  const rows = docs.map((d) => rowOf(d));
  await svc.db.query(`INSERT INTO words (word) SELECT DISTINCT unnest($1::text[]) ON CONFLICT DO NOTHING`, [
    rows.flatMap((r) => r.words as string[]),
  ]);
  await svc.db.query(`INSERT INTO terms (term) SELECT DISTINCT unnest($1::text[]) ON CONFLICT DO NOTHING`, [
    rows.flatMap((r) => r.terms as string[]),
  ]);
}

export async function indexersBench(args: string[]): Promise<void> {
  const opt = (name: string, fallback: string): number => {
    const i = args.indexOf(`--${name}`);
    const value = i >= 0 ? args[i + 1] : undefined;
    // `--indexers` alone switches run.ts to this bench with the default count.
    return Number(value && !value.startsWith("--") ? value : fallback);
  };
  const K = opt("indexers", "4");
  const DOCS = opt("docs", "2000");
  const BATCH = opt("batch", "1");
  const ROUNDS = opt("rounds", "3");
  const BASE = opt("base", "20000");
  const loadStart = loadavg()[0] ?? 0;
  const db = await createBenchDatabase("indexers");
  try {
    await benchOn(db, { K, DOCS, BATCH, ROUNDS, BASE, loadStart });
  } finally {
    // Dropped whatever failed, a configuration error included.
    await db.drop();
    await rm(`/tmp/${db.name}`, { recursive: true, force: true });
  }
}

interface BenchOptions {
  K: number;
  DOCS: number;
  BATCH: number;
  ROUNDS: number;
  BASE: number;
  loadStart: number;
}

async function benchOn(db: BenchDatabase, { K, DOCS, BATCH, ROUNDS, BASE, loadStart }: BenchOptions): Promise<void> {
  const config = await loadConfig({
    ...process.env,
    ARENA_MODE: "embedded",
    DATABASE_URL: db.url,
    // Every indexer holds a connection through its transaction: the pool must not be what they queue on.
    DATABASE_POOL_MAX: String(K + 2),
    NAMESPACE: `bench${Date.now().toString(36)}`,
    DATA_DIR: `/tmp/${db.name}`,
    METRICS_PORT: "0",
    LOG_LEVEL: "warn",
  });
  setConfig(config);
  const broker = new ServiceBroker({ ...buildBrokerOptions({ ...config, nodeId: "bench-indexers" }), logger: false });
  const svc = broker.createService(SearchService as unknown as ServiceSchema) as unknown as SearchThis;
  const sampler = lockSampler(db.url, db.name);
  try {
    await broker.start();
    await sampler.connect();
    console.log(
      `# search indexers: ${K} concurrent indexers, ${DOCS} documents per mode and round, ${BATCH} per transaction, ` +
        `${ROUNDS} rounds, base corpus ${BASE}; ${cpus().length} cores, load ${loadStart.toFixed(1)}`,
    );
    const base = generateCorpus(BASE);
    for (let i = 0; i < base.length; i += 1000) await writeDocs(svc, base.slice(i, i + 1000));
    await svc.db.query("ANALYZE documents; ANALYZE terms; ANALYZE words");
    const order: Mode[] = ["fresh-1", "fresh-K", "known-K"];
    const results: Record<Mode, Figures[]> = { "fresh-1": [], "fresh-K": [], "known-K": [] };
    for (let round = 0; round < ROUNDS; round++) {
      const rotated = [...order.slice(round % order.length), ...order.slice(0, round % order.length)];
      for (const mode of rotated) {
        const docs = freshDocs(`r${round}${mode.replace("-", "")}x`, DOCS, 1000 + round);
        if (mode === "known-K") await addWordsFirst(svc, docs);
        const f = await runMode(svc, sampler, docs, mode === "fresh-1" ? 1 : K, BATCH);
        results[mode].push(f);
        console.log(
          `round ${round + 1} ${mode.padEnd(8)} ${f.docsPerS.toFixed(0)} docs/s  transaction p50 ${f.p50.toFixed(2)} ms ` +
            `p99 ${f.p99.toFixed(2)} ms  lock-waiting ${(f.waiting * 100).toFixed(1)}% of indexers ` +
            `(some waiting in ${(f.anyWaiting * 100).toFixed(1)}% of samples)`,
        );
      }
    }
    console.log(
      `\n| mode (K = ${K}) | docs/s | transaction p50 ms | p99 ms | indexers lock-waiting | samples with a waiter |` +
        "\n|---|---:|---:|---:|---:|---:|",
    );
    for (const mode of order) {
      const rs = results[mode];
      const m = (f: (x: Figures) => number) => median(rs.map(f));
      console.log(
        `| ${mode} | ${m((r) => r.docsPerS).toFixed(0)} | ${m((r) => r.p50).toFixed(2)} | ${m((r) => r.p99).toFixed(2)} | ` +
          `${(m((r) => r.waiting) * 100).toFixed(1)}% | ${(m((r) => r.anyWaiting) * 100).toFixed(1)}% |`,
      );
    }
    const ratio = (a: Mode, b: Mode) =>
      median(results[a].map((r, i) => r.docsPerS / (results[b][i]?.docsPerS ?? NaN))).toFixed(2);
    console.log(
      `docs/s fresh-K / fresh-1: ${ratio("fresh-K", "fresh-1")}x; fresh-K / known-K: ${ratio("fresh-K", "known-K")}x ` +
        `(medians of the per-round ratios); load average ${loadStart.toFixed(1)} at start, ${(loadavg()[0] ?? 0).toFixed(1)} at end`,
    );
  } finally {
    await sampler.end().catch(() => undefined);
    await broker.stop();
  }
}
