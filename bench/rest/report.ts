/** Prints the bench:rest table and, with --write, puts it into docs/benchmarks.md between this benchmark's markers. */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

interface Side {
  cpuUsPerReq: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  mbPerS: number;
  errors: number;
}

export interface Row {
  mode: string;
  path: string;
  baseline: string;
  arena: Side;
  bare: Side;
  ratio: number;
  goal?: number;
}

export interface RunInfo {
  command: string;
  loader: string;
  connections: number;
  rounds: number;
  durationS: number;
  cores: number;
  loadAtStart: number;
  write: boolean;
}

const START = "<!-- bench:rest:start -->";
const END = "<!-- bench:rest:end -->";
const n = (x: number, d = 0): string =>
  Number.isFinite(x) ? x.toLocaleString("en", { maximumFractionDigits: d, minimumFractionDigits: d }) : "n/a";

export function formatRows(rows: Row[]): string {
  const lines = [
    "| mode | path | arena req/s | p50 / p99 ms | CPU µs/req | baseline | baseline req/s | p50 / p99 ms | CPU µs/req | ratio | goal |",
    "|---|---|---:|---:|---:|---|---:|---:|---:|---:|---:|",
  ];
  for (const r of rows) {
    const media = r.path === "media" ? ` (${n(r.arena.mbPerS)} MB/s)` : "";
    const bareMedia = r.path === "media" ? ` (${n(r.bare.mbPerS)} MB/s)` : "";
    const errors = r.arena.errors ? ` ⚠ ${r.arena.errors} errors` : "";
    const met = r.goal === undefined ? "" : `${r.goal}x ${r.ratio >= r.goal ? "✓" : "✗"}`;
    lines.push(
      `| ${r.mode} | ${r.path} | ${n(r.arena.rps)}${media}${errors} | ${n(r.arena.p50Ms, 1)} / ${n(r.arena.p99Ms, 1)} | ${n(r.arena.cpuUsPerReq)} | ${r.baseline} | ${n(r.bare.rps)}${bareMedia} | ${n(r.bare.p50Ms, 1)} / ${n(r.bare.p99Ms, 1)} | ${n(r.bare.cpuUsPerReq)} | ${n(r.ratio, 2)}x | ${met} |`,
    );
  }
  return lines.join("\n");
}

export function writeRestReport(rows: Row[], info: RunInfo): void {
  const table = formatRows(rows);
  const section = [
    START,
    `\`${info.command}\` (${info.loader}, ${info.connections} connections, ${info.rounds} alternating rounds of ${info.durationS} s per side, medians; ${info.cores} cores, load average ${n(info.loadAtStart, 1)} at start):`,
    "",
    table,
    END,
  ].join("\n");
  console.log(`\n${table}\n`);
  if (!info.write) return;
  const file = join(__dirname, "..", "..", "docs", "benchmarks.md");
  const doc = readFileSync(file, "utf8");
  const at = doc.indexOf(START);
  const end = doc.indexOf(END);
  const next = at >= 0 && end > at ? doc.slice(0, at) + section + doc.slice(end + END.length) : `${doc}\n${section}\n`;
  writeFileSync(file, next);
  console.log("docs/benchmarks.md updated");
}
