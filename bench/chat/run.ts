/**
 * `npm run bench:chat`: one room with 5k and 10k subscribers, 1/10/100
 * messages per second in, against Arena's realtime gateway and a plain `ws`
 * fan-out server measured in the same run; then two Arena gateways over NATS
 * with the subscribers split between them. Prints delivered messages/s,
 * p50/p99 send-to-receive latency and server memory per connection, and
 * writes the figures to docs/benchmarks.md.
 *
 * Options: --subscribers 5000,10000  --rates 1,10,100  --duration 5  --workers 4  --no-write
 *          --ws-first (the baseline before Arena: alternate it between repeated runs)
 */
import { fork, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import WebSocket from "ws";
import {
  benchText,
  nowMs,
  type ServerEvent,
  type ServerKind,
  type WorkerCommand,
  type WorkerEvent,
} from "./bench-protocol";
import { writeReport, type ResultRow } from "./report";
import { percentile } from "../shared/stats";

const args = process.argv.slice(2);
const opt = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? (args[i + 1] as string) : fallback;
};
const SUBSCRIBERS = opt("subscribers", "5000,10000").split(",").map(Number);
const RATES = opt("rates", "1,10,100").split(",").map(Number);
const DURATION_S = Number(opt("duration", "5"));
const WORKERS = Number(opt("workers", "4"));
const NATS_URL = process.env.BENCH_NATS_URL ?? "nats://127.0.0.1:4222";
const ROOM = "benchroom";
const DRAIN_MS = 1500;
const execArgv = ["--import", "tsx"];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) : 0;
}

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function startServer(
  kind: ServerKind,
  env: Record<string, string> = {},
): Promise<{ proc: ChildProcess; port: number }> {
  const file = join(__dirname, kind === "arena" ? "gateway-server.ts" : "ws-baseline.ts");
  const proc = fork(file, [], {
    execArgv,
    env: { ...process.env, ...env },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const port = await new Promise<number>((resolve, reject) => {
    proc.once("message", (e: ServerEvent) => resolve(e.port));
    proc.once("exit", (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
  return { proc, port };
}

function ask<E extends WorkerEvent["ev"]>(
  worker: ChildProcess,
  cmd: WorkerCommand,
  ev: E,
): Promise<Extract<WorkerEvent, { ev: E }>> {
  return new Promise((resolve) => {
    const onMessage = (e: WorkerEvent): void => {
      if (e.ev !== ev) return;
      worker.off("message", onMessage);
      resolve(e as Extract<WorkerEvent, { ev: E }>);
    };
    worker.on("message", onMessage);
    worker.send(cmd);
  });
}

async function connectClients(
  kind: ServerKind,
  urls: string[],
  total: number,
): Promise<{ workers: ChildProcess[]; connected: number }> {
  const workers = Array.from({ length: WORKERS }, () =>
    fork(join(__dirname, "client-worker.ts"), [], { execArgv, stdio: ["ignore", "inherit", "inherit", "ipc"] }),
  );
  const per = Math.ceil(total / WORKERS);
  // Sample about 200 sockets in all for latency, whatever the room size.
  const sampleEvery = Math.max(1, Math.floor(total / 200));
  const results = await Promise.all(
    workers.map((w) => ask(w, { cmd: "connect", urls, count: per, room: ROOM, kind, sampleEvery }, "connected")),
  );
  return { workers, connected: results.reduce((s, r) => s + r.count, 0) };
}

async function openPublisher(kind: ServerKind, url: string): Promise<WebSocket> {
  const ws = new WebSocket(url, kind === "arena" ? ["arena.v1", "bearer.pub"] : [], { perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => ws.send(JSON.stringify({ type: "join", room: ROOM, cid: "pj" })));
    ws.on("message", (d: Buffer) => d.includes('"joined"') && resolve());
    ws.once("error", reject);
  });
  if (kind === "arena") {
    // The publisher's join changes the room's viewer count, and the next viewer tick (within 1 s)
    // pushes a "viewers" frame to every subscriber: let that one-off burst pass before measuring,
    // or it lands on the first messages of the window (the ws baseline has no such frame).
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2500);
      const onMessage = (d: Buffer): void => {
        if (!d.includes('"type":"viewers"')) return;
        clearTimeout(timer);
        ws.off("message", onMessage);
        setTimeout(resolve, 500);
      };
      ws.on("message", onMessage);
    });
  }
  return ws;
}

async function measureRate(
  publisher: WebSocket,
  workers: ChildProcess[],
  rate: number,
  serverPids: number[],
): Promise<{
  delivered: number;
  totalReceived: number;
  p50: number;
  p99: number;
  closed: number;
  expected: number;
  serverCpuPct: number;
}> {
  const startAt = nowMs() + 300;
  const cpuBefore = serverPids.reduce((s, pid) => s + cpuSeconds(pid), 0);
  const endAt = startAt + DURATION_S * 1000;
  for (const w of workers) w.send({ cmd: "window", startAt, endAt } satisfies WorkerCommand);
  const count = Math.round(rate * DURATION_S);
  let seq = 0;
  while (seq < count) {
    const due = startAt + (seq * 1000) / rate;
    const wait = due - nowMs();
    if (wait > 0) await sleep(Math.min(wait, 50));
    else publisher.send(JSON.stringify({ type: "send", room: ROOM, text: benchText(seq++, nowMs()), cid: `p${seq}` }));
  }
  await sleep(Math.max(0, endAt - nowMs()));
  const serverCpuPct = (100 * (serverPids.reduce((s, pid) => s + cpuSeconds(pid), 0) - cpuBefore)) / (DURATION_S + 0.3);
  await sleep(DRAIN_MS);
  const reports = await Promise.all(workers.map((w) => ask(w, { cmd: "report" }, "report")));
  const inWindow = reports.reduce((s, r) => s + r.inWindow, 0);
  const latencies = reports.flatMap((r) => r.latencies).sort((a, b) => a - b);
  return {
    delivered: inWindow / DURATION_S,
    expected: count,
    totalReceived: reports.reduce((s, r) => s + r.total, 0),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    closed: reports.reduce((s, r) => s + r.closed, 0),
    serverCpuPct,
  };
}

async function scenario(
  label: string,
  kind: ServerKind,
  subscribers: number,
  rates: number[],
  servers: { proc: ChildProcess; port: number }[],
): Promise<ResultRow[]> {
  const rssBefore = servers.reduce((s, x) => s + rssKb(x.proc.pid as number), 0);
  const urls = servers.map((s) => `ws://127.0.0.1:${s.port}/`);
  const { workers, connected } = await connectClients(kind, urls, subscribers);
  await sleep(1000);
  const rssAfter = servers.reduce((s, x) => s + rssKb(x.proc.pid as number), 0);
  const memPerConnKb = (rssAfter - rssBefore) / Math.max(1, connected);
  const publisher = await openPublisher(kind, urls[0] as string);
  const rows: ResultRow[] = [];
  for (const rate of rates) {
    const r = await measureRate(
      publisher,
      workers,
      rate,
      servers.map((x) => x.proc.pid as number),
    );
    const row: ResultRow = {
      scenario: label,
      server: kind,
      subscribers: connected,
      rate,
      deliveredPerS: r.delivered,
      expectedPerS: rate * connected,
      deliveredFraction: r.totalReceived / Math.max(1, r.expected * connected),
      p50Ms: r.p50,
      p99Ms: r.p99,
      memPerConnKb,
      slowConsumerCloses: r.closed,
      serverCpuPct: r.serverCpuPct,
    };
    rows.push(row);
    console.log(
      `${label.padEnd(10)} ${kind.padEnd(5)} subs=${String(connected).padStart(5)} in=${String(rate).padStart(3)}/s  delivered=${Math.round(row.deliveredPerS).toLocaleString("en").padStart(9)}/s (${(100 * row.deliveredFraction).toFixed(1)}% of sent)  p50=${row.p50Ms.toFixed(1)}ms p99=${row.p99Ms.toFixed(1)}ms  mem/conn=${memPerConnKb.toFixed(1)}KB server-cpu=${r.serverCpuPct.toFixed(0)}% closed=${r.closed}`,
    );
  }
  publisher.terminate();
  for (const w of workers) w.send({ cmd: "exit" } satisfies WorkerCommand);
  await Promise.all(workers.map((w) => new Promise((r) => w.once("exit", r))));
  return rows;
}

async function stop(servers: { proc: ChildProcess }[]): Promise<void> {
  await Promise.all(
    servers.map(
      (s) =>
        new Promise((r) => {
          s.proc.once("exit", r);
          s.proc.kill("SIGKILL");
        }),
    ),
  );
}

async function main(): Promise<void> {
  const rows: ResultRow[] = [];
  for (const subscribers of SUBSCRIBERS) {
    for (const kind of args.includes("--ws-first") ? (["ws", "arena"] as const) : (["arena", "ws"] as const)) {
      const server = await startServer(kind);
      try {
        rows.push(...(await scenario("one-node", kind, subscribers, RATES, [server])));
      } finally {
        await stop([server]);
      }
    }
  }
  const namespace = `bench${Date.now().toString(36)}`;
  const nodes = [
    await startServer("arena", { NATS_URL, NAMESPACE: namespace }),
    await startServer("arena", { NATS_URL, NAMESPACE: namespace }),
  ];
  try {
    const subs = Math.max(...SUBSCRIBERS);
    rows.push(
      ...(await scenario(
        "two-nodes",
        "arena",
        subs,
        RATES.filter((r) => r >= 10),
        nodes,
      )),
    );
  } finally {
    await stop(nodes);
  }
  const text = writeReport(rows, {
    durationS: DURATION_S,
    workers: WORKERS,
    command: `npm run bench:chat${args.length ? ` -- ${args.join(" ")}` : ""}`,
    write: !args.includes("--no-write"),
  });
  console.log(`\n${text}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
