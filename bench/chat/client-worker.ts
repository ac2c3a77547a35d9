/**
 * One benchmark client process: opens many WebSocket connections to a room
 * and counts chat messages delivered. Most sockets only count (a substring
 * scan, no JSON parse) so the clients stay cheap; every `sampleEvery`-th
 * socket parses frames and records send-to-receive latency.
 */
import WebSocket from "ws";
import { nowMs, sentAtOf, type WorkerCommand, type WorkerEvent } from "./bench-protocol";

const NEEDLE = Buffer.from('"type":"msg"');
let windowStart = Infinity;
let windowEnd = -Infinity;
let inWindow = 0;
let total = 0;
let closed = 0;
let latencies: number[] = [];
const sockets: WebSocket[] = [];

function countMessages(data: Buffer): number {
  let n = 0;
  for (let i = data.indexOf(NEEDLE); i !== -1; i = data.indexOf(NEEDLE, i + NEEDLE.length)) n++;
  return n;
}

function onFrame(data: Buffer, sampled: boolean): void {
  const now = nowMs();
  const n = countMessages(data);
  if (n === 0) return;
  total += n;
  if (now >= windowStart && now <= windowEnd) inWindow += n;
  if (!sampled) return;
  const parsed = JSON.parse(data.toString()) as { type: string; text?: string } | { type: string; text?: string }[];
  for (const f of Array.isArray(parsed) ? parsed : [parsed])
    if (f.type === "msg" && f.text) latencies.push(now - sentAtOf(f.text));
}

function open(url: string, room: string, sampled: boolean, kind: string): Promise<boolean> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, kind === "arena" ? ["arena.v1"] : [], { perMessageDeflate: false });
    let joined = false;
    ws.on("open", () => ws.send(JSON.stringify({ type: "join", room, cid: "j" })));
    ws.on("message", (data: Buffer) => {
      if (!joined) {
        if (data.includes('"joined"')) {
          joined = true;
          sockets.push(ws);
          resolve(true);
        }
        return;
      }
      onFrame(data, sampled);
    });
    ws.on("close", () => {
      if (joined) closed++;
      else resolve(false);
    });
    ws.on("error", () => undefined);
  });
}

async function connectAll(
  urls: string[],
  count: number,
  room: string,
  kind: string,
  sampleEvery: number,
): Promise<WorkerEvent> {
  let failed = 0;
  let next = 0;
  const concurrency = 100;
  const runner = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      if (!(await open(urls[i % urls.length] as string, room, i % sampleEvery === 0, kind))) failed++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, runner));
  return { ev: "connected", count: sockets.length, failed };
}

process.on("message", (msg: WorkerCommand) => {
  const reply = (e: WorkerEvent): void => void process.send?.(e);
  switch (msg.cmd) {
    case "connect":
      void connectAll(msg.urls, msg.count, msg.room, msg.kind, msg.sampleEvery).then(reply);
      break;
    case "window":
      windowStart = msg.startAt;
      windowEnd = msg.endAt;
      inWindow = 0;
      total = 0;
      latencies = [];
      break;
    case "report":
      reply({ ev: "report", inWindow, total, latencies, closed });
      break;
    case "exit":
      for (const ws of sockets) ws.terminate();
      process.exit(0);
  }
});
