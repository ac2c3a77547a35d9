/** Writes the tournaments benchmark into docs/benchmarks.md between its markers. */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { join } from "node:path";
import type { ApiResult } from "./api";
import type { EngineRow } from "./engine";

const START = "<!-- bench:tournaments:start -->";
const END = "<!-- bench:tournaments:end -->";
const f = (n: number, d = 1): string => n.toLocaleString("en", { maximumFractionDigits: d, minimumFractionDigits: d });

export function formatTournamentsReport(engine: EngineRow[], api: ApiResult, argv: string, repeat: number): string {
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  const lines = [
    START,
    "## Tournaments (`npm run bench:tournaments`)",
    "",
    `Run ${new Date().toISOString()} on ${cpus().length} CPU cores (${cpu}), ${Math.round(totalmem() / 2 ** 30)} GB RAM, Node ${process.version}, load average ${loadavg()[0]?.toFixed(1)} at the end (other work shares the machine: absolute times are noisy, ratios less so). Command: \`npm run bench:tournaments${argv ? ` -- ${argv}` : ""}\`.`,
    "",
    `Each figure is the median of ${repeat} repetitions of the whole benchmark (engine rows: the repetition with the median time; API: the repetition with the median reports/s).`,
    "",
    "Bracket engine (pure functions, one process, after warm-up; baselines measured in the same run):",
    "",
    "| what | median ms | p90 ms | goal | baseline | baseline median ms | ratio | detail |",
    "|---|---:|---:|---|---|---:|---:|---|",
    ...engine.map(
      (r) =>
        `| ${r.what} | ${f(r.medianMs)} | ${f(r.p90Ms)} | ${r.goalMs ? `< ${r.goalMs} ms: ${r.medianMs < r.goalMs ? "met" : "**missed**"}` : ""} | ${r.baseline} | ${f(r.baselineMedianMs)} | ${f(r.medianMs / r.baselineMedianMs, 2)}x | ${r.detail} |`,
    ),
    "",
    `Reporting a whole ${api.entrants}-entrant single elimination through the REST API (real gateway, PostgreSQL, durable events through the outbox), ${api.reporters} concurrent reporters; both sides of each match report, the second report decides it and advances the bracket under the tournament's row lock. Baseline: the same clients reading the tournament (GET) through the same gateway.`,
    "",
    "| figure | value |",
    "|---|---:|",
    `| start (seed + generate + store ${api.entrants - 1} matches) | ${f(api.startMs)} ms |`,
    `| reports sent / accepted / refused (409) | ${api.reportsSent} / ${api.reportsAccepted} / ${api.reportsRefused} |`,
    `| wall time, all reports | ${f(api.elapsedS, 2)} s |`,
    `| reports/s | ${f(api.reportsPerS)} |`,
    `| report p50 / p99 | ${f(api.p50Ms)} / ${f(api.p99Ms)} ms |`,
    `| baseline read p50 / p99 | ${f(api.readP50Ms)} / ${f(api.readP99Ms)} ms |`,
    `| report p50 / read p50 | ${f(api.p50Ms / api.readP50Ms, 2)}x |`,
    `| matches completed / match.completed events / duplicates | ${api.matchesCompleted} / ${api.completedEvents} / ${api.duplicateEvents} |`,
    `| every report applied exactly once (bracket consistent) | ${api.bracketConsistent && api.duplicateEvents === 0 && api.matchesCompleted === api.entrants - 1 ? "yes" : "**no**"} |`,
    `| final standings correct (seed 1 champion, better seed won every match) | ${api.championCorrect ? "yes" : "**no**"} |`,
    END,
  ];
  return lines.join("\n");
}

export function writeTournamentsReport(engine: EngineRow[], api: ApiResult, argv: string, repeat: number): void {
  const file = join(__dirname, "..", "..", "docs", "benchmarks.md");
  const section = formatTournamentsReport(engine, api, argv, repeat);
  const current = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n";
  const start = current.indexOf(START);
  const end = current.indexOf(END);
  const next =
    start >= 0 && end > start
      ? `${current.slice(0, start)}${section}${current.slice(end + END.length)}`
      : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, next);
  console.log(`wrote ${file}`);
}
