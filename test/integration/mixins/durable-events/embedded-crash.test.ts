/**
 * Embedded mode is as durable as a broker (issue 21): kill -9 the embedded
 * process (PGlite + in-process adapter) in the middle of a burst, start it
 * again on the same DATA_DIR, and every event committed before the kill is
 * handled exactly once in effect: one side effect per event, none missing.
 * Before delivery rows existed, events already relayed but not yet handled
 * were lost with the process.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createTempDir, uniqueId, waitFor, type TempDir } from "../../../helpers/infra";
import type { CrashNodeStatus } from "./helpers/embedded-crash-node";

jest.setTimeout(120000);

const ROOT = join(__dirname, "..", "..", "..", "..");
const NODE = join(__dirname, "helpers", "embedded-crash-node.ts");

interface RunningNode {
  proc: ChildProcess;
  latest(): CrashNodeStatus | undefined;
  booted(): CrashNodeStatus | undefined;
  output(): string;
}

function startNode(env: Record<string, string>): RunningNode {
  const proc = spawn(process.execPath, ["--import", "tsx", NODE], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let latest: CrashNodeStatus | undefined;
  let booted: CrashNodeStatus | undefined;
  let out = "";
  let partial = "";
  proc.stdout?.on("data", (chunk: Buffer) => {
    partial += chunk.toString();
    const lines = partial.split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      try {
        const status = JSON.parse(line) as CrashNodeStatus;
        latest = status;
        if (status.phase === "booted") booted = status;
      } catch {
        out += `${line}\n`;
      }
    }
  });
  proc.stderr?.on("data", (chunk: Buffer) => (out += chunk.toString()));
  return { proc, latest: () => latest, booted: () => booted, output: () => out };
}

const exited = (proc: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve();
    proc.once("exit", () => resolve());
  });

describe("embedded mode survives kill -9 mid-burst (PGlite, in-process adapter)", () => {
  let dataDir: TempDir;
  const running: RunningNode[] = [];

  beforeAll(() => {
    dataDir = createTempDir("arena-embedded-crash-");
  });

  afterAll(async () => {
    for (const node of running) {
      node.proc.kill("SIGKILL");
      await exited(node.proc);
    }
    dataDir?.remove();
  });

  it("handles every committed event exactly once after a restart", async () => {
    // (On failure, the nodes' stderr says why: printed below.)
    const env = { DATA_DIR: dataDir.path, NAMESPACE: uniqueId("crash"), TEST_LOG_LEVEL: "fatal" };
    const first = startNode({ ...env, MODE: "burst", COUNT: "400" });
    running.push(first);
    // Mid-burst: some events handled, more committed than handled, the burst not over.
    await waitFor(
      () => {
        const s = first.latest();
        return s && s.received >= 30 && s.notes >= s.received + 5 && s.notes < 400;
      },
      { what: "a backlog mid-burst", timeoutMs: 60000, intervalMs: 10 },
    ).catch((err: unknown) => {
      throw new Error(`${String(err)}; last status ${JSON.stringify(first.latest())}; output ${first.output()}`);
    });
    first.proc.kill("SIGKILL");
    await exited(first.proc);

    const second = startNode({ ...env, MODE: "drain", COUNT: "0" });
    running.push(second);
    const booted = await waitFor(() => second.booted(), { what: "restart", timeoutMs: 60000 });
    // Events relayed but not handled when the process died were waiting in the database.
    expect(booted.pendingAtBoot).toBeGreaterThan(0);
    const done = await waitFor(
      () => {
        const s = second.latest();
        return s && s.phase === "running" && s.distinct === s.notes ? s : undefined;
      },
      { what: `every committed event handled (${JSON.stringify(second.latest())})`, timeoutMs: 60000 },
    );
    expect(done.received).toBe(done.notes);
    second.proc.kill("SIGTERM");
    await exited(second.proc);
  });
});
