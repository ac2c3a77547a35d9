/**
 * Arena nodes for `npm run bench:rest`: real `bin/arena-node.ts` processes
 * (what `npm start` runs), embedded (one process, PGlite) or clustered (an
 * api node and a core node over NATS, real PostgreSQL, Redis), seeded
 * through the REST API.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "pg";
import { connect } from "nats";
import { signMediaGrant } from "../../lib/media/signed-url";

const ROOT = join(__dirname, "..", "..");
export const PG_ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
export const NATS_URL = process.env.BENCH_NATS_URL ?? "nats://127.0.0.1:4222";
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";
export const MEDIA_SECRET = "bench-rest-media-url-secret-0123456789abcdef";
const PASSWORD = "violet-tundra-42-kettle";
/** A 2 s HLS segment at ~1.1 Mbit/s, the size the issue measured. */
export const SEGMENT_BYTES = 285 * 1024;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export interface BenchNode {
  name: string;
  proc: ChildProcess;
  output(): string;
  stop(): Promise<void>;
}

function startNode(name: string, env: Record<string, string>): BenchNode {
  const prof = process.env.BENCH_CPU_PROF;
  const proc = spawn(
    process.execPath,
    [...(prof ? ["--cpu-prof", `--cpu-prof-dir=${prof}`] : []), "--import", "tsx", join(ROOT, "bin", "arena-node.ts")],
    {
      cwd: ROOT,
      // An empty value unsets the variable (embedded: no transporter, Redis or PostgreSQL).
      env: Object.fromEntries(
        Object.entries({ ...process.env, LOG_LEVEL: "warn", METRICS_PORT: "0", NODE_ID: name, ...env }).filter(
          (e): e is [string, string] => e[1] !== undefined && e[1] !== "",
        ),
      ),
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  proc.stdout?.on("data", (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  proc.stderr?.on("data", (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  return {
    name,
    proc,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        const kill = setTimeout(() => proc.kill("SIGKILL"), 20_000);
        proc.once("exit", () => {
          clearTimeout(kill);
          resolve();
        });
        proc.kill("SIGTERM");
      }),
  };
}

async function waitForOk(url: string, nodes: BenchNode[], timeoutMs = 180_000): Promise<void> {
  if (url.endsWith("/api/v1/status")) {
    // The node answers /status before every service is up: wait for the ones the bench seeds through.
    const base = url.slice(0, -"/status".length);
    for (const path of ["/status", "/auth/jwks", "/channels"]) await waitForOk(`${base}${path}?`, nodes, timeoutMs);
    return;
  }
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    for (const n of nodes) {
      if (n.proc.exitCode !== null) throw new Error(`${n.name} exited:\n${n.output()}`);
    }
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
    if (res?.status === 200) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} not ready:\n${nodes.map((n) => n.output()).join("\n")}`);
}

export interface Seeded {
  /** http://127.0.0.1:<port> */
  base: string;
  token: string;
  channelId: string;
  /** Every seeded channel (channelId first). */
  channelIds: string[];
  /** /media/... with a valid grant */
  mediaPath: string;
  mediaFile: string;
  nodes: BenchNode[];
  databaseUrl?: string;
  /** Starts the core node again with other env (cluster only), e.g. the read cache off. */
  restartCore?(env: Record<string, string>): Promise<void>;
  /** Starts the api node again with other env (cluster only), e.g. the gateway's response cache off. */
  restartApi?(env: Record<string, string>): Promise<void>;
  stop(): Promise<void>;
}

async function call(base: string, method: string, path: string, body?: unknown, token?: string) {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** `count` users, each with a channel; the first one's token, and every channel's id. */
async function seed(
  base: string,
  tag: string,
  count: number,
): Promise<{ token: string; channelId: string; channelIds: string[] }> {
  let first: { token: string; channelId: string } | undefined;
  const channelIds: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const username = `b${tag}${i}`.slice(0, 24);
    await call(base, "POST", "/auth/register", { email: `${username}@example.test`, username, password: PASSWORD });
    const login = await call(base, "POST", "/auth/login", { login: username, password: PASSWORD });
    const token = login.accessToken as string;
    const channel = await call(
      base,
      "POST",
      "/channels",
      { slug: `${username}-ch`, title: `Bench channel ${i}`, category: "games", tags: ["bench", `t${i % 3}`] },
      token,
    );
    first ??= { token, channelId: (channel.channel as { id: string }).id };
    channelIds.push((channel.channel as { id: string }).id);
  }
  return { ...(first as { token: string; channelId: string }), channelIds };
}

function writeSegment(dataDir: string): { mediaPath: string; mediaFile: string } {
  const dir = join(dataDir, "media", "vod", "bench");
  mkdirSync(dir, { recursive: true });
  const mediaFile = join(dir, "seg-0.ts");
  writeFileSync(mediaFile, Buffer.alloc(SEGMENT_BYTES, 0x47));
  const grant = signMediaGrant(
    { prefix: "/media/vod/bench/", expiresAt: Math.floor(Date.now() / 1000) + 24 * 3600 },
    MEDIA_SECRET,
  );
  return { mediaPath: `/media/vod/bench/seg-0.ts?${grant}`, mediaFile };
}

const COMMON = {
  MEDIA_URL_SECRET: MEDIA_SECRET,
  RATE_LIMIT_PER_IP: "1000000000",
  RATE_LIMIT_MEDIA_PER_IP: "1000000000",
  RATE_LIMIT_PER_USER: "1000000000",
  TRACING_EXPORTER: "none",
};

export async function startEmbedded(env: Record<string, string> = {}): Promise<Seeded> {
  const dataDir = mkdtempSync(join(tmpdir(), "arena-bench-rest-"));
  const apiPort = await freePort();
  const base = `http://127.0.0.1:${apiPort}`;
  const node = startNode("bench-embedded", {
    ...COMMON,
    ARENA_MODE: "embedded",
    ARENA_SERVICES: "api,status,identity,users,channels,delivery",
    DATA_DIR: dataDir,
    API_PORT: String(apiPort),
    PUBLIC_URL: base,
    TRANSPORTER: "",
    REDIS_URL: "",
    DATABASE_URL: "",
    DURABLE_EVENTS_URL: "",
    ...env,
  });
  const seeded = await waitForOk(`${base}/api/v1/status`, [node])
    .then(() => seed(base, `e${Date.now().toString(36).slice(-5)}`, 10))
    .catch(async (err: unknown) => {
      await node.stop();
      rmSync(dataDir, { recursive: true, force: true });
      throw err;
    });
  const { token, channelId, channelIds } = seeded;
  return {
    base,
    token,
    channelId,
    channelIds,
    ...writeSegment(dataDir),
    nodes: [node],
    async stop() {
      await node.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function adminQuery(sql: string): Promise<void> {
  const admin = new Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(sql);
  await admin.end();
}

export async function startCluster(env: Record<string, string> = {}): Promise<Seeded> {
  const tag = Date.now().toString(36);
  const namespace = `benchrest${tag}`;
  const dbName = `arena_bench_rest_${tag}`;
  await adminQuery(`CREATE DATABASE "${dbName}"`);
  const dbUrl = new URL(PG_ADMIN_URL);
  dbUrl.pathname = `/${dbName}`;
  const dataDir = mkdtempSync(join(tmpdir(), "arena-bench-rest-"));
  const apiPort = await freePort();
  const base = `http://127.0.0.1:${apiPort}`;
  const common = {
    ...COMMON,
    ARENA_MODE: "embedded",
    TRANSPORTER: NATS_URL,
    NAMESPACE: namespace,
    DATABASE_URL: dbUrl.toString(),
    DURABLE_EVENTS_URL: NATS_URL,
    REDIS_URL: `${REDIS_URL}`,
    DATA_DIR: dataDir,
    API_PORT: String(apiPort),
    PUBLIC_URL: base,
    ...env,
  };
  const core = (extra: Record<string, string>): BenchNode =>
    startNode("bench-core", { ...common, ARENA_SERVICES: "status,identity,users,channels", ...extra });
  // Media never crosses NATS: the api node serves it from the shared DATA_DIR.
  const api = (extra: Record<string, string>): BenchNode =>
    startNode("bench-api", { ...common, ARENA_SERVICES: "api,delivery", ...extra });
  const nodes = [core({}), api({})];
  const cleanUp = async (): Promise<void> => {
    await Promise.all(nodes.map((n) => n.stop()));
    await adminQuery(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`).catch(() => undefined);
    const nc = await connect({ servers: NATS_URL });
    const jsm = await nc.jetstreamManager();
    for await (const stream of jsm.streams.list()) {
      if (stream.config.name.includes(namespace)) await jsm.streams.delete(stream.config.name);
    }
    await nc.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  const { token, channelId, channelIds } = await waitForOk(`${base}/api/v1/status`, nodes)
    .then(() => seed(base, `c${tag.slice(-5)}`, 10))
    .catch(async (err: unknown) => {
      await cleanUp();
      throw err;
    });
  return {
    base,
    token,
    channelId,
    channelIds,
    ...writeSegment(dataDir),
    nodes,
    databaseUrl: dbUrl.toString(),
    async restartCore(extra) {
      await (nodes[0] as BenchNode).stop();
      nodes[0] = core(extra);
      await waitForOk(`${base}/api/v1/channels/${channelId}`, nodes);
    },
    async restartApi(extra) {
      await (nodes[1] as BenchNode).stop();
      nodes[1] = api(extra);
      await waitForOk(`${base}/api/v1/channels/${channelId}`, nodes);
    },
    stop: cleanUp,
  };
}
