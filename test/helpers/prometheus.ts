/**
 * The real `prometheus` binary (Debian's package, see
 * scripts/ensure-services.sh) started on a free port with the repo's
 * deploy/prometheus config and rules, scraping the targets a test names,
 * and a small client for its HTTP API.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { freePort } from "./cluster";
import { createTempDir, waitFor, type TempDir } from "./infra";

const DEPLOY = join(__dirname, "..", "..", "deploy", "prometheus");

export interface ScrapeTarget {
  address: string;
  labels: Record<string, string>;
}

interface ApiAnswer<T> {
  status: "success" | "error";
  data: T;
  error?: string;
}

export interface PrometheusServer {
  url: string;
  get<T>(path: string, query?: Record<string, string>): Promise<ApiAnswer<T>>;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Copies deploy/prometheus (config and rules) into a temp dir, writes the
 * targets file, and changes only the intervals (1 s instead of 15 s: a test
 * cannot wait for production cadence).
 */
export async function startPrometheus(targets: ScrapeTarget[]): Promise<PrometheusServer> {
  const dir: TempDir = createTempDir("arena-prometheus-");
  const config = parse(readFileSync(join(DEPLOY, "prometheus.yml"), "utf8")) as {
    global: Record<string, string>;
    scrape_configs: Array<{ scrape_timeout?: string; file_sd_configs?: Array<{ refresh_interval?: string }> }>;
  };
  config.global.scrape_interval = "1s";
  config.global.evaluation_interval = "1s";
  for (const job of config.scrape_configs) {
    if (job.scrape_timeout) job.scrape_timeout = "1s";
    for (const sd of job.file_sd_configs ?? []) sd.refresh_interval = "1s";
  }
  writeFileSync(join(dir.path, "prometheus.yml"), stringify(config));
  cpSync(join(DEPLOY, "rules"), join(dir.path, "rules"), { recursive: true });
  mkdirSync(join(dir.path, "targets"));
  writeFileSync(
    join(dir.path, "targets", "test.json"),
    JSON.stringify(targets.map((t) => ({ targets: [t.address], labels: t.labels }))),
  );
  const port = await freePort();
  const proc: ChildProcess = spawn(
    "prometheus",
    [
      `--config.file=${join(dir.path, "prometheus.yml")}`,
      `--storage.tsdb.path=${join(dir.path, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  proc.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  proc.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const server: PrometheusServer = {
    url,
    async get<T>(path: string, query: Record<string, string> = {}) {
      const res = await fetch(`${url}${path}?${new URLSearchParams(query).toString()}`);
      return (await res.json()) as ApiAnswer<T>;
    },
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        const done = (): void => {
          dir.remove();
          resolve();
        };
        if (proc.exitCode !== null || proc.signalCode !== null) return done();
        proc.once("exit", done);
        proc.kill("SIGTERM");
      }),
  };
  try {
    await waitFor(
      async () => {
        if (proc.exitCode !== null) throw new Error(`prometheus exited with ${proc.exitCode}`);
        return (await fetch(`${url}/-/ready`).catch(() => undefined))?.status === 200;
      },
      { timeoutMs: 15000, intervalMs: 100, what: "prometheus ready" },
    );
  } catch (err) {
    await server.stop();
    throw new Error(`${(err as Error).message}\n${out}`);
  }
  return server;
}
