/**
 * Spawns real Arena node processes (bin/arena-node.ts through tsx) for e2e
 * tests, waits for them by polling, and kills them. Output is kept so a
 * failing test can print what the node said.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { waitFor } from "./infra";

const ROOT = join(__dirname, "..", "..");

export interface ArenaNode {
  name: string;
  proc: ChildProcess;
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

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

export function startNode(name: string, env: Record<string, string>): ArenaNode {
  const proc = spawn(process.execPath, ["--import", "tsx", join(ROOT, "bin", "arena-node.ts")], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: "warn", METRICS_PORT: "0", NODE_ID: name, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  proc.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  proc.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  return {
    name,
    proc,
    output: () => out,
    kill: (signal: NodeJS.Signals = "SIGTERM") =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
        proc.once("exit", () => resolve());
        proc.kill(signal);
      }),
  };
}

/** Polls an HTTP URL until it answers with the wanted status. */
export async function waitForHttp(url: string, status = 200, timeoutMs = 60000): Promise<Response> {
  return waitFor(
    async () => {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      return res.status === status ? res : undefined;
    },
    { timeoutMs, intervalMs: 250, what: `${url} to answer ${status}` },
  );
}
