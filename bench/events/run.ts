/**
 * `npm run bench:events`: durable events end to end — outbox → broker →
 * handler — for one consumer group on one consumer node, on JetStream and on
 * RabbitMQ, at in-flight 1 (the old default, the baseline measured in the
 * same run) and at the default (DURABLE_EVENTS_MAX_IN_FLIGHT).
 *
 * Each round fills a producer's outbox with N events (relay off), forks a
 * consumer node (its own process: a DB consumer, dedupe plus one insert per
 * event), then starts the relay and the clock; it stops when the consumer's
 * table holds all N rows. Then the consumer node alone: the events are put
 * in the broker first and the node's rate is taken from its first to its
 * last commit. Consumer modes: "plain" (a transaction per event), "batch"
 * (`batch: true`: events in flight together share a transaction), "bulk"
 * (`batchHandler`: one insert per batch). Rounds alternate between
 * configurations and repeat; the medians are reported.
 *
 * Options: --events 20000  --repeat 3  --transports nats,amqp  --modes plain,batch,bulk  --ordered  --no-write
 */
import { fork, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { join } from "node:path";
import { ServiceBroker } from "moleculer";
import { Client } from "pg";
import { createBenchDatabase } from "../shared/database";
import { loadConfig, setConfig, type ArenaConfig } from "../../lib/config";
import { DurableEventsMiddleware, type DurableServiceThis } from "../../mixins/durable-events";
import { createEnvelope } from "../../mixins/durable-events/envelope";
import { sourceSchema, type BenchThis, type SinkMode } from "./bench-services";
import { cleanupTransport } from "./cleanup";
import { writeReport, type BenchRow } from "./report";
import { median } from "../shared/stats";

const args = process.argv.slice(2);
const opt = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
};
const ALL_EVENTS = Number(opt("events", "20000"));
const REPEAT = Number(opt("repeat", "3"));
const TRANSPORTS = opt("transports", "nats,amqp").split(",") as Array<"nats" | "amqp">;
const ORDERED = args.includes("--ordered");
const MODES = opt("modes", "plain,batch,bulk").split(",") as SinkMode[];
const URLS = {
  nats: process.env.BENCH_NATS_URL ?? "nats://127.0.0.1:4222",
  amqp: process.env.BENCH_AMQP_URL ?? "amqp://guest:guest@127.0.0.1:5672",
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function envFor(
  transport: "nats" | "amqp",
  dbUrl: string,
  namespace: string,
  inFlight: number,
): Record<string, string> {
  return {
    ARENA_MODE: "embedded",
    NAMESPACE: namespace,
    DATABASE_URL: dbUrl,
    DURABLE_EVENTS_URL: URLS[transport],
    DURABLE_EVENTS_MAX_IN_FLIGHT: String(inFlight),
    DATA_DIR: `/tmp/arena-bench-events-${process.pid}`,
    LOG_LEVEL: "warn",
    METRICS_PORT: "0",
  };
}

async function startConsumer(env: Record<string, string>): Promise<ChildProcess> {
  const proc = fork(join(__dirname, "consumer-node.ts"), [], {
    execArgv: ["--import", "tsx", ...(process.env.BENCH_PROF ? ["--cpu-prof", "--cpu-prof-dir=/tmp/evprof"] : [])],
    env: { ...process.env, ...env, BENCH_ORDERED: ORDERED ? "1" : "0" },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  await new Promise<void>((resolve, reject) => {
    proc.once("message", () => resolve());
    proc.once("exit", (code) => reject(new Error(`consumer node exited with ${code}`)));
  });
  return proc;
}

async function stopConsumer(proc: ChildProcess): Promise<void> {
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  proc.send({ cmd: "stop" });
  await Promise.race([exited, sleep(15000).then(() => proc.kill("SIGKILL"))]);
}

/** N events in the producer's outbox, written in large multi-row inserts (the relay is off meanwhile). */
async function fillOutbox(pg: Client, count: number, keyed: boolean): Promise<void> {
  const CHUNK = 1000;
  for (let start = 0; start < count; start += CHUNK) {
    const values: string[] = [];
    const bind: unknown[] = [];
    for (let seq = start; seq < Math.min(count, start + CHUNK); seq++) {
      // A few hundred keys, so ordered runs exercise per-key lanes with parallel keys.
      const envelope = createEnvelope(
        "bench.happened",
        { seq },
        "benchsource",
        new Date(),
        keyed ? `k:${seq % 500}` : undefined,
      );
      bind.push(envelope.id, envelope.type, JSON.stringify(envelope));
      values.push(`($${bind.length - 2}, $${bind.length - 1}, $${bind.length}::jsonb)`);
    }
    await pg.query(`INSERT INTO benchsource.outbox (id, type, envelope) VALUES ${values.join(", ")}`, bind);
  }
}

async function sinkCount(pg: Client): Promise<number> {
  return Number((await pg.query<{ n: string }>("SELECT count(*) AS n FROM benchsink.sink")).rows[0].n);
}

interface Config {
  mode: SinkMode;
  inFlight: number;
}

/**
 * One configuration on one transport: end to end (a filled outbox relayed
 * while the consumer node runs), then the consumer node alone (the events
 * already in the broker when it starts; rate over its first to last commit).
 */
async function round(transport: "nats" | "amqp", cfg: Config, db: { url: string }): Promise<BenchRow> {
  // Slow configurations get fewer events, so one run stays within a minute.
  const count =
    cfg.mode === "plain" ? Math.max(1000, Math.round(ALL_EVENTS / (cfg.inFlight === 1 ? 10 : 4))) : ALL_EVENTS;
  const namespace = `bench${randomBytes(3).toString("hex")}`;
  const env = { ...envFor(transport, db.url, namespace, cfg.inFlight), BENCH_MODE: cfg.mode };
  const config: ArenaConfig = await loadConfig({ ...process.env, ...env });
  setConfig(config);
  const pg = new Client({ connectionString: db.url });
  await pg.connect();
  const producer = new ServiceBroker({
    namespace,
    nodeID: `bench-producer-${randomUUID().slice(0, 8)}`,
    logger: { type: "Console", options: { level: "warn" } },
    middlewares: [DurableEventsMiddleware(config, { relayAfterCommit: false, relaySweep: false })],
  });
  const source = producer.createService(sourceSchema()) as unknown as BenchThis & DurableServiceThis;
  let consumer = await startConsumer(env);
  try {
    await producer.start();
    const reset = () =>
      pg.query("TRUNCATE benchsink.sink, benchsink.processed_events, benchsink.consumer_versions, benchsource.outbox");
    await reset();
    await fillOutbox(pg, count, ORDERED);
    const started = performance.now();
    let relayMs = 0;
    const relay = source.relayOutbox().then(() => (relayMs = performance.now() - started));
    while ((await sinkCount(pg)) < count) await sleep(20);
    const totalMs = performance.now() - started;
    await relay;

    // The consumer node alone: stop it (its group stays), put the events in the broker, start it again.
    await stopConsumer(consumer);
    await reset();
    await fillOutbox(pg, count, ORDERED);
    await source.relayOutbox();
    consumer = await startConsumer(env);
    while ((await sinkCount(pg)) < count) await sleep(50);
    const spanS = Number(
      (
        await pg.query<{ s: string }>(
          "SELECT extract(epoch FROM max(created_at) - min(created_at)) AS s FROM benchsink.sink",
        )
      ).rows[0].s,
    );
    return {
      transport,
      mode: cfg.mode,
      inFlight: cfg.inFlight,
      events: count,
      perS: count / (totalMs / 1000),
      relayPerS: count / (relayMs / 1000),
      nodePerS: count / Math.max(spanS, 0.001),
    };
  } finally {
    await producer.stop().catch(() => undefined);
    await stopConsumer(consumer);
    await pg.end();
    await cleanupTransport(transport, URLS[transport], namespace, ["bench.happened"], ["bench"]).catch(() => undefined);
  }
}

async function main(): Promise<void> {
  const defaultInFlight = (await loadConfig({ ...process.env, ARENA_MODE: "embedded", DATA_DIR: "/tmp" })).durableEvents
    .maxInFlight;
  const configs: Config[] = [
    { mode: "plain", inFlight: 1 },
    { mode: "plain", inFlight: defaultInFlight },
    { mode: "batch", inFlight: defaultInFlight },
    { mode: "bulk", inFlight: defaultInFlight },
  ].filter((c) => MODES.includes(c.mode as SinkMode)) as Config[];
  const db = await createBenchDatabase("events");
  const runs: BenchRow[] = [];
  try {
    for (let r = 0; r < REPEAT; r++) {
      // Alternate the order within each repetition: the machine's noise hits every configuration alike.
      for (const transport of TRANSPORTS) {
        for (const cfg of r % 2 === 0 ? configs : [...configs].reverse()) {
          const row = await round(transport, cfg, db);
          console.log(
            `${transport} ${cfg.mode} in-flight ${cfg.inFlight}: ${Math.round(row.perS)} events/s end to end (relay ${Math.round(row.relayPerS)}/s), consumer node ${Math.round(row.nodePerS)}/s`,
          );
          runs.push(row);
        }
      }
    }
  } finally {
    await db.drop();
  }
  const rows: BenchRow[] = [];
  for (const transport of TRANSPORTS) {
    for (const cfg of configs) {
      const mine = runs.filter((x) => x.transport === transport && x.mode === cfg.mode && x.inFlight === cfg.inFlight);
      rows.push({
        transport,
        mode: cfg.mode,
        inFlight: cfg.inFlight,
        events: mine[0]?.events ?? 0,
        perS: median(mine.map((x) => x.perS)),
        relayPerS: median(mine.map((x) => x.relayPerS)),
        nodePerS: median(mine.map((x) => x.nodePerS)),
        samples: mine.map((x) => Math.round(x.nodePerS)),
      });
    }
  }
  const command = `npm run bench:events${args.length ? ` -- ${args.join(" ")}` : ""}`;
  console.log(
    writeReport(rows, {
      command,
      repeat: REPEAT,
      ordered: ORDERED,
      defaultInFlight,
      write: !args.includes("--no-write"),
    }),
  );
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
