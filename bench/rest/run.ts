/**
 * `npm run bench:rest`: the REST and media hot paths of issue 19, each
 * against a bare node:http baseline in the same run (bare.ts): /status, a
 * channel by id, the channel list, /me with a bearer token and a signed
 * 285 KB segment, on an embedded node (one process, PGlite) and on a
 * cluster (api node → core node over NATS, PostgreSQL, Redis). Rounds
 * alternate which side goes first; the table shows medians.
 *
 * Options: --quick (1 round of 3 s) --rounds 3 --duration 10 --connections 50
 *          --only embedded|cluster|edge --paths status,channel,... --write (docs/benchmarks.md)
 * BENCH_CPU_PROF=<dir> writes a CPU profile of every Arena node.
 */
import { fork, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import type { BareSetup } from "./bare";
import { loader, runLoad, type LoadResult } from "./load";
import { startEdgeSetup } from "./edge";
import { startCluster, startEmbedded, type Seeded } from "./nodes";
import { writeRestReport, type Row } from "./report";
import { median } from "../shared/stats";

const args = process.argv.slice(2);
const opt = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
};
const QUICK = args.includes("--quick");
const ROUNDS = Number(opt("rounds", QUICK ? "1" : "3"));
const DURATION_S = Number(opt("duration", QUICK ? "3" : "10"));
const CONNECTIONS = Number(opt("connections", "50"));
const ONLY = opt("only", "");
const PATHS = opt("paths", "")
  .split(",")
  .filter((p) => p);

const children: ChildProcess[] = [];
const cleanups: Array<() => Promise<void>> = [];
process.on("exit", () => children.forEach((c) => c.kill()));
const abort = (code: number) => () => {
  void Promise.allSettled(cleanups.map((c) => c())).then(() => process.exit(code));
};
process.on("SIGINT", abort(130));
process.on("SIGTERM", abort(143));

async function startBare(setup: BareSetup): Promise<{ base: string; proc: ChildProcess }> {
  const proc = fork(join(__dirname, "bare.ts"), [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  children.push(proc);
  const port = await new Promise<number>((resolve, reject) => {
    proc.once("message", (msg: { port?: number; error?: string }) =>
      msg.port ? resolve(msg.port) : reject(new Error(msg.error)),
    );
    proc.send({ setup });
  });
  return { base: `http://127.0.0.1:${port}`, proc };
}

interface BenchPath {
  name: string;
  /** The path asked; with `rotate`, each connection asks these paths in turn (the same on both sides). */
  arena: string;
  bare: string;
  rotate?: { arena: string[]; bare: string[] };
  baseline: string;
  headers?: Record<string, string>;
  /** The issue's goal as a fraction of the baseline. */
  goal?: number;
}

async function text(url: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(url, { headers });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${body}`);
  return body;
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); NaN elsewhere. */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

interface Measured extends LoadResult {
  /** Server CPU per answered request (all of the side's processes), µs: steadier than req/s on a busy machine. */
  cpuUsPerReq: number;
}

/** Where one side's requests go and which processes serve them (their CPU is counted). */
interface Side {
  base: string;
  pids(): Array<number | undefined>;
}
const arenaSide = (arena: Seeded): Side => ({ base: arena.base, pids: () => arena.nodes.map((n) => n.proc.pid) });
const bareSide = (bare: { base: string; proc: ChildProcess }): Side => ({
  base: bare.base,
  pids: () => [bare.proc.pid],
});

async function measure(mode: string, arena: Side, bare: Side, paths: BenchPath[]): Promise<Row[]> {
  const bareBase = bare.base;
  const wanted = PATHS.length ? paths.filter((p) => PATHS.includes(p.name)) : paths;
  const results = new Map<string, { arena: Measured[]; bare: Measured[] }>();
  for (const p of wanted) {
    // Warm-up (JIT, connection pools, caches) before the first measured round.
    const warm = { connections: CONNECTIONS, durationS: 1, headers: p.headers };
    await runLoad({ ...warm, url: `${arena.base}${p.arena}`, paths: p.rotate?.arena });
    await runLoad({ ...warm, url: `${bareBase}${p.bare}`, paths: p.rotate?.bare });
    results.set(p.name, { arena: [], bare: [] });
  }
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const p of wanted) {
      const entry = results.get(p.name) as { arena: Measured[]; bare: Measured[] };
      const sides = round % 2 === 0 ? (["arena", "bare"] as const) : (["bare", "arena"] as const);
      for (const side of sides) {
        const url = side === "arena" ? `${arena.base}${p.arena}` : `${bareBase}${p.bare}`;
        const pids = side === "arena" ? arena.pids() : bare.pids();
        const cpu0 = pids.reduce<number>((a, pid) => a + cpuSeconds(pid), 0);
        const paths = side === "arena" ? p.rotate?.arena : p.rotate?.bare;
        const load = await runLoad({ url, paths, connections: CONNECTIONS, durationS: DURATION_S, headers: p.headers });
        const cpu = pids.reduce<number>((a, pid) => a + cpuSeconds(pid), 0) - cpu0;
        const r = { ...load, cpuUsPerReq: (cpu * 1e6) / (load.rps * DURATION_S) };
        entry[side].push(r);
        console.log(
          `${mode} ${p.name} round ${round + 1} ${side}: ${r.rps.toFixed(0)} req/s p50 ${r.p50Ms.toFixed(2)} ms p99 ${r.p99Ms.toFixed(2)} ms, ${r.cpuUsPerReq.toFixed(0)} µs CPU/req${r.errors ? ` errors ${r.errors}` : ""}`,
        );
      }
    }
  }
  return wanted.map((p) => {
    const e = results.get(p.name) as { arena: Measured[]; bare: Measured[] };
    const sum = (rs: Measured[]) => ({
      cpuUsPerReq: median(rs.map((r) => r.cpuUsPerReq)),
      rps: median(rs.map((r) => r.rps)),
      p50Ms: median(rs.map((r) => r.p50Ms)),
      p99Ms: median(rs.map((r) => r.p99Ms)),
      mbPerS: median(rs.map((r) => r.bytesPerS)) / 1e6,
      errors: rs.reduce((a, r) => a + r.errors, 0),
    });
    const a = sum(e.arena);
    const b = sum(e.bare);
    return { mode, path: p.name, baseline: p.baseline, arena: a, bare: b, ratio: a.rps / b.rps, goal: p.goal };
  });
}

async function embeddedRows(): Promise<Row[]> {
  console.log("starting an embedded node (PGlite)…");
  const arena = await startEmbedded();
  cleanups.push(() => arena.stop());
  const auth = { authorization: `Bearer ${arena.token}` };
  const api = `${arena.base}/api/v1`;
  const bare = await startBare({
    bodies: {
      status: await text(`${api}/status`),
      channel: await text(`${api}/channels/${arena.channelId}`),
      list: await text(`${api}/channels`),
    },
    jwks: JSON.parse(await text(`${api}/auth/jwks`)) as BareSetup["jwks"],
    meBody: await text(`${api}/me`, auth),
    files: { segment: arena.mediaFile },
  });
  const rows = await measure("embedded", arenaSide(arena), bareSide(bare), [
    { name: "status", arena: "/api/v1/status", bare: "/json/status", baseline: "same JSON", goal: 0.6 },
    {
      name: "channel",
      arena: `/api/v1/channels/${arena.channelId}`,
      bare: "/json/channel",
      baseline: "same JSON",
      goal: 0.5,
    },
    { name: "list", arena: "/api/v1/channels", bare: "/json/list", baseline: "same JSON" },
    { name: "me", arena: "/api/v1/me", bare: "/jwt/me", baseline: "same EdDSA verify", headers: auth, goal: 0.7 },
    { name: "media", arena: arena.mediaPath, bare: "/file/segment", baseline: "stat + createReadStream", goal: 0.8 },
  ]);
  bare.proc.kill();
  await arena.stop();
  return rows;
}

async function clusterRows(): Promise<Row[]> {
  console.log("starting a cluster (api node + core node over NATS, PostgreSQL, Redis)…");
  const arena = await startCluster();
  cleanups.push(() => arena.stop());
  const api = `${arena.base}/api/v1`;
  const auth = { authorization: `Bearer ${arena.token}` };
  const bare = await startBare({
    bodies: {
      status: await text(`${api}/status`),
      channel: await text(`${api}/channels/${arena.channelId}`),
    },
    jwks: JSON.parse(await text(`${api}/auth/jwks`)) as BareSetup["jwks"],
    meBody: await text(`${api}/me`, auth),
    pgUrl: arena.databaseUrl,
  });
  const rows = await measure("cluster", arenaSide(arena), bareSide(bare), [
    { name: "status", arena: "/api/v1/status", bare: "/json/status", baseline: "same JSON" },
    {
      name: "channel",
      arena: `/api/v1/channels/${arena.channelId}`,
      bare: "/json/channel",
      baseline: "same JSON",
      goal: 0.5,
    },
    { name: "me", arena: "/api/v1/me", bare: "/jwt/me", baseline: "same EdDSA verify", headers: auth, goal: 0.7 },
  ]);
  if (!PATHS.length || PATHS.includes("channel-uncached")) {
    console.log("restarting the core node with the read cache off, the api node without its response cache…");
    await arena.restartCore?.({ READ_CACHE_TTL_S: "0" });
    // Else the gateway answers the anonymous read from its own copy (services/edge/api/fast-path.ts).
    await arena.restartApi?.({ API_RESPONSE_CACHE_SIZE: "0" });
    rows.push(
      ...(await measure("cluster", arenaSide(arena), bareSide(bare), [
        {
          name: "channel-uncached",
          arena: `/api/v1/channels/${arena.channelId}`,
          bare: `/pg/channels/${arena.channelId}`,
          // Every seeded channel in turn: concurrent reads of different rows, not one row read over and over.
          rotate: {
            arena: arena.channelIds.map((id) => `/api/v1/channels/${id}`),
            bare: arena.channelIds.map((id) => `/pg/channels/${id}`),
          },
          baseline: "same query on a pg pool",
          goal: 0.5,
        },
      ])),
    );
  }
  bare.proc.kill();
  await arena.stop();
  return rows;
}

async function edgeRows(): Promise<Row[]> {
  console.log("starting an embedded node behind the edge (nginx, ModSecurity, njs) and a static nginx…");
  const setup = await startEdgeSetup();
  cleanups.push(() => setup.stop());
  const rows = await measure("edge", setup.edge, setup.bare, [
    {
      name: "media",
      arena: setup.edgePath,
      bare: setup.barePath,
      baseline: "static file, same nginx and TLS",
      goal: 0.8,
    },
  ]);
  await setup.stop();
  return rows;
}

async function main(): Promise<void> {
  const loadAtStart = loadavg()[0] ?? 0;
  console.log(`bench:rest: ${loader()}, ${CONNECTIONS} connections, ${ROUNDS} x ${DURATION_S} s per side`);
  const rows: Row[] = [];
  if (!ONLY || ONLY === "embedded") rows.push(...(await embeddedRows()));
  if (!ONLY || ONLY === "cluster") rows.push(...(await clusterRows()));
  if (!ONLY || ONLY === "edge") rows.push(...(await edgeRows()));
  writeRestReport(rows, {
    command: `npm run bench:rest -- ${args.join(" ")}`.trim(),
    loader: loader(),
    connections: CONNECTIONS,
    rounds: ROUNDS,
    durationS: DURATION_S,
    cores: cpus().length,
    loadAtStart,
    write: args.includes("--write"),
  });
}

main().then(
  () => process.exit(0),
  async (err: unknown) => {
    console.error(err);
    await Promise.allSettled(cleanups.map((c) => c()));
    process.exit(1);
  },
);
