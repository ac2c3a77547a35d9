/** Prints the web benchmark and writes it into docs/benchmarks.md between its markers. */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import type { BundleFigures } from "./bundle";
import type { LighthouseScores } from "./lighthouse-run";

export interface WebReport {
  bundle: BundleFigures;
  firstFrame: { appMs: number; bareMs: number; runs: number; segmentS: number; appRuns: number[]; bareRuns: number[] };
  lighthouse: Array<LighthouseScores & { page: string; preset: "mobile" | "desktop" }>;
}

const START = "<!-- bench:web:start -->";
const END = "<!-- bench:web:end -->";
const JS_BUDGET_KB = 150;
const FIRST_FRAME_BUDGET_MS = 3000;
const fmt = (n: number, digits = 0): string =>
  Number.isFinite(n) ? n.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits }) : "n/a";
const verdict = (ok: boolean): string => (ok ? "**PASS**" : "**FAIL**");

export function formatWebReport(r: WebReport): string {
  const ff = r.firstFrame;
  const segMs = ff.segmentS * 1000;
  const lines = [
    "## Web client (`npm run bench:web`)",
    "",
    `Run ${new Date().toISOString()} on ${cpus().length} CPU cores (${cpus()[0]?.model.trim() ?? "?"}), ${Math.round(totalmem() / 2 ** 30)} GB RAM, Node ${process.version}, Debian Chromium (headless). Command: \`npm run bench:web\`.`,
    "",
    "One embedded Arena node serving web/dist, ffmpeg's test pattern (640x360, 2 s keyframes) pushed over RTMP, Chromium on the same machine.",
    "",
    "| figure | value | budget | |",
    "|---|---:|---:|---|",
    `| home page JS (entry + preloads, gzip) | ${fmt(r.bundle.homeJsGzipKb, 1)} KB | < ${JS_BUDGET_KB} KB | ${verdict(r.bundle.homeJsGzipKb < JS_BUDGET_KB)} |`,
    `| home page CSS (gzip) | ${fmt(r.bundle.homeCssGzipKb, 1)} KB | | |`,
    `| hls.js light chunk (gzip, player pages only) | ${fmt(r.bundle.hlsChunkGzipKb, 1)} KB | | |`,
    `| all JS chunks (gzip) | ${fmt(r.bundle.allJsGzipKb, 1)} KB | | |`,
    `| navigation → first decoded live frame, channel page (median of ${ff.runs}) | ${fmt(ff.appMs)} ms | < ${FIRST_FRAME_BUDGET_MS} ms | ${verdict(ff.appMs < FIRST_FRAME_BUDGET_MS)} |`,
    `| same, bare hls.js page on the same playlist (baseline, same run) | ${fmt(ff.bareMs)} ms | | |`,
    `| HLS segment duration (the floor) | ${fmt(segMs)} ms | | |`,
    "",
    `First frame against the floor: app ${fmt(ff.appMs / segMs, 2)}x the segment duration, bare hls.js ${fmt(ff.bareMs / segMs, 2)}x; the app costs ${fmt(ff.appMs - ff.bareMs)} ms over the bare player (${fmt(ff.appMs / ff.bareMs, 2)}x). Runs (ms): app ${ff.appRuns.map((n) => fmt(n)).join(", ")}; bare ${ff.bareRuns.map((n) => fmt(n)).join(", ")}.`,
    "Why it is under one segment duration: a viewer joining a running stream starts on segments the packager has already written (hls.js starts 3 target durations behind the live edge), so the first frame costs the page, two playlists and one segment download, not a segment's worth of waiting; the segment duration is the floor of the live delay, and of the first frame only for a viewer who arrives before the first segment exists. The bare page is the floor of the player itself.",
  ];
  if (r.lighthouse.length) {
    lines.push(
      "",
      "Lighthouse 12 (npm package, local Chromium), median of the runs; `mobile` is Lighthouse's default (Moto G power, simulated slow 4G, 4x CPU slowdown), `desktop` its desktop preset:",
      "",
      "| page | preset | performance | accessibility | LCP ms | TBT ms | accessibility audits missed | |",
      "|---|---|---:|---:|---:|---:|---|---|",
      ...r.lighthouse.map(
        (l) =>
          `| ${l.page} | ${l.preset} | ${l.performance} | ${l.accessibility} | ${fmt(l.lcpMs)} | ${fmt(l.tbtMs)} | ${l.a11yMisses.join(", ") || "none"} | ${verdict(l.performance >= 90 && l.accessibility >= 90)} |`,
      ),
    );
  }
  return lines.join("\n");
}

export function writeWebReport(r: WebReport, write: boolean): void {
  const text = formatWebReport(r);
  console.log(`\n${text}\n`);
  if (!write) return;
  const file = join(__dirname, "..", "..", "docs", "benchmarks.md");
  const current = existsSync(file) ? readFileSync(file, "utf8") : "# Benchmarks\n";
  const block = `${START}\n${text}\n${END}`;
  const next = current.includes(START)
    ? current.replace(new RegExp(`${START}[\\s\\S]*?${END}`), block)
    : `${current.trimEnd()}\n\n${block}\n`;
  writeFileSync(file, next);
  console.log(`wrote ${file}`);
}
