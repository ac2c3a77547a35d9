/** Formats the durable-events benchmark and writes it into docs/benchmarks.md between its markers. */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";

export interface BenchRow {
  transport: "nats" | "amqp";
  /** plain: a transaction per event; batch: `batch: true`; bulk: `batchHandler`. */
  mode: "plain" | "batch" | "bulk";
  inFlight: number;
  events: number;
  /** Events handled per second, end to end (outbox → broker → handler's commit), relay running alongside. */
  perS: number;
  /** Events published per second by the relay (while the consumer ran). */
  relayPerS: number;
  /** Events handled per second by the consumer node alone (events already in the broker). */
  nodePerS: number;
  /** Each repetition's consumer-node events/s. */
  samples?: number[];
}

const START = "<!-- bench:events:start -->";
const END = "<!-- bench:events:end -->";
const GOAL_PER_S = 5000;
const NAMES = { nats: "NATS JetStream", amqp: "RabbitMQ" };
const MODE_NAMES = { plain: "per event", batch: "`batch: true`", bulk: "`batchHandler`" };
const fmt = (n: number, digits = 0): string =>
  Number.isFinite(n) ? n.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits }) : "n/a";

export function writeReport(
  rows: BenchRow[],
  meta: { command: string; repeat: number; ordered: boolean; defaultInFlight: number; write: boolean },
): string {
  const table = [
    "| transport | consumer | in-flight | events | end to end, events/s | relay, events/s | consumer node, events/s | runs (node) | node vs in-flight 1 |",
    "|---|---|---:|---:|---:|---:|---:|---|---:|",
  ];
  for (const r of rows) {
    const base = rows.find((b) => b.transport === r.transport && b.mode === "plain" && b.inFlight === 1);
    table.push(
      `| ${NAMES[r.transport]} | ${MODE_NAMES[r.mode]} | ${r.inFlight} | ${fmt(r.events)} | ${fmt(r.perS)} | ${fmt(r.relayPerS)} | ${fmt(r.nodePerS)} | ${(r.samples ?? []).map((x) => fmt(x)).join(", ")} | ${base ? `${fmt(r.nodePerS / base.nodePerS, 1)}x` : "n/a"} |`,
    );
  }
  const best = rows
    .filter((r) => r.transport === "nats" && r.inFlight === meta.defaultInFlight)
    .sort((a, b) => b.nodePerS - a.nodePerS)[0];
  const verdict = best
    ? `Goal (JetStream, one consumer node, default in-flight ${meta.defaultInFlight}): best ${fmt(best.nodePerS)} events/s (${MODE_NAMES[best.mode]}): **${best.nodePerS >= GOAL_PER_S ? "PASS" : "FAIL"}** (needs >= ${fmt(GOAL_PER_S)}).`
    : "Goal: JetStream at the default in-flight was not measured.";
  const section = [
    START,
    "## Durable events end to end (`npm run bench:events`)",
    "",
    `Run ${new Date().toISOString()} on ${cpus().length} CPU cores (${cpus()[0]?.model ?? "unknown"}), ${Math.round(totalmem() / 2 ** 30)} GB RAM, Node ${process.version}, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" / ")} (1/5/15 min) at the end. Command: \`${meta.command}\`.`,
    "",
    "One consumer group on one consumer node (its own process); the events column is per run. " +
      "*End to end*: a producer's outbox is filled up front, then the relay and the clock start; the clock stops when the " +
      "consumer's table holds every event (outbox → broker → handler's commit; relay and consumer run at the same time). " +
      "*Consumer node*: the events are in the broker before the node starts; its rate is taken from its first to its last commit. " +
      "The handler is a DB consumer: a dedupe row in `processed_events` and one insert per event, committed with it; " +
      "*per event* commits each event alone, `batch: true` commits the events in flight together in one transaction, " +
      "`batchHandler` also writes a batch with one insert. " +
      `Everything (PostgreSQL, the broker, producer and consumer) shares the machine's 2 cores with other work, so figures are a floor; medians of ${meta.repeat} runs, configurations alternated.` +
      (meta.ordered ? " Events carry ordering keys (500 keys) and the handler is `ordered`." : ""),
    "",
    ...table,
    "",
    verdict,
    END,
  ].join("\n");
  if (meta.write) {
    const file = join(__dirname, "..", "..", "docs", "benchmarks.md");
    const doc = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n";
    const next = doc.includes(START)
      ? doc.slice(0, doc.indexOf(START)) + section + doc.slice(doc.indexOf(END) + END.length)
      : `${doc.trimEnd()}\n\n${section}\n`;
    writeFileSync(file, next);
  }
  return section;
}
