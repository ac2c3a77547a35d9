/**
 * One load run against one URL: wrk when it is installed (C, cheap on a
 * shared 2-core machine), otherwise autocannon (npm). Both keep N
 * connections busy for the duration and report req/s and p50/p99.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";

export interface LoadResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Non-2xx answers and socket errors. */
  errors: number;
  /** Response bytes per second. */
  bytesPerS: number;
}

export interface LoadOptions {
  url: string;
  /** Paths (on url's origin) each connection asks in turn, instead of url's own path. */
  paths?: string[];
  connections: number;
  durationS: number;
  headers?: Record<string, string>;
}

let wrkPath: string | null | undefined;
export function loader(): "wrk" | "autocannon" {
  if (wrkPath === undefined) {
    const found = spawnSync("sh", ["-c", "command -v wrk"], { encoding: "utf8" });
    wrkPath = found.status === 0 && !process.env.BENCH_AUTOCANNON ? found.stdout.trim() : null;
  }
  return wrkPath ? "wrk" : "autocannon";
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };
function wrkMs(value: string): number {
  const m = /^([\d.]+)(us|ms|s|m)$/.exec(value.trim());
  return m ? Number(m[1]) * (UNIT_MS[m[2] as string] as number) : NaN;
}
const SIZE: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };

async function runWrk(opts: LoadOptions): Promise<LoadResult> {
  const args = ["-t1", `-c${opts.connections}`, `-d${opts.durationS}s`, "--latency"];
  for (const [k, v] of Object.entries(opts.headers ?? {})) args.push("-H", `${k}: ${v}`);
  if (opts.paths?.length) args.push("-s", rotationScript(opts.paths));
  args.push(opts.url);
  const out = await new Promise<string>((resolve, reject) => {
    const proc = spawn(wrkPath as string, args, { stdio: ["ignore", "pipe", "pipe"] });
    let text = "";
    proc.stdout.on("data", (d: Buffer) => (text += d.toString()));
    proc.stderr.on("data", (d: Buffer) => (text += d.toString()));
    proc.on("error", reject);
    proc.on("exit", (code) => (code === 0 ? resolve(text) : reject(new Error(`wrk exited ${code}: ${text}`))));
  });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN);
  const p50 = wrkMs(/^\s+50%\s+(\S+)/m.exec(out)?.[1] ?? "");
  const p99 = wrkMs(/^\s+99%\s+(\S+)/m.exec(out)?.[1] ?? "");
  const transfer = /Transfer\/sec:\s+([\d.]+)(B|KB|MB|GB)/.exec(out);
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const errors = non2xx + (socketErrors ? socketErrors.slice(1).reduce((a, b) => a + Number(b), 0) : 0);
  const bytesPerS = transfer ? Number(transfer[1]) * (SIZE[transfer[2] as string] as number) : NaN;
  return { rps, p50Ms: p50, p99Ms: p99, errors, bytesPerS };
}

/** A wrk script asking `paths` in turn (the -H headers still apply: wrk.format uses them). */
function rotationScript(paths: string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), "bench-wrk-")), "rotate.lua");
  const list = paths.map((p) => JSON.stringify(p)).join(", ");
  writeFileSync(
    file,
    `local paths = { ${list} }\nlocal i = 0\nrequest = function()\n  i = i % #paths + 1\n  return wrk.format("GET", paths[i])\nend\n`,
  );
  return file;
}

async function runAutocannon(opts: LoadOptions): Promise<LoadResult> {
  const result = await autocannon({
    url: opts.url,
    ...(opts.paths?.length ? { requests: opts.paths.map((path) => ({ method: "GET" as const, path })) } : {}),
    connections: opts.connections,
    duration: opts.durationS,
    headers: opts.headers,
  });
  return {
    rps: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.non2xx + result.errors,
    bytesPerS: result.throughput.average,
  };
}

export function runLoad(opts: LoadOptions): Promise<LoadResult> {
  return loader() === "wrk" ? runWrk(opts) : runAutocannon(opts);
}
