/** Messages between the benchmark orchestrator and its child processes (over Node IPC). */

export type ServerKind = "arena" | "ws";

export type WorkerCommand =
  | { cmd: "connect"; urls: string[]; count: number; room: string; kind: ServerKind; sampleEvery: number }
  | { cmd: "window"; startAt: number; endAt: number }
  | { cmd: "report" }
  | { cmd: "exit" };

export type WorkerEvent =
  | { ev: "connected"; count: number; failed: number }
  | { ev: "report"; inWindow: number; total: number; latencies: number[]; closed: number };

export type ServerEvent = { ev: "listening"; port: number };

/** Chat text the publisher sends: "<seq>:<sentAt epoch ms with fraction>". */
export function benchText(seq: number, sentAt: number): string {
  return `${seq}:${sentAt.toFixed(3)}`;
}

export function sentAtOf(text: string): number {
  return Number(text.slice(text.indexOf(":") + 1));
}

/** Wall-clock ms with sub-millisecond precision, comparable across processes on one machine. */
export function nowMs(): number {
  return performance.timeOrigin + performance.now();
}
