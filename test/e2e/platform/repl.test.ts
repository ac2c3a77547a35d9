/**
 * Operators' console: `npm run repl` joins a running cluster over NATS and
 * can list nodes and call actions on them (stdin piped, as an operator's
 * terminal would send it).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createTempDir, NATS_URL, waitFor } from "../../helpers/infra";
import type { ArenaNode } from "../../helpers/cluster";
import { startE2eCluster, type E2eCluster } from "../../helpers/e2e-cluster";

const ROOT = join(__dirname, "..", "..", "..");

describe("npm run repl", () => {
  let cluster: E2eCluster;
  let statusNode: ArenaNode;
  let repl: ChildProcess;
  let output = "";

  beforeAll(async () => {
    cluster = await startE2eCluster({ prefix: "repl", database: false, nodes: {}, stopSignal: "SIGKILL" });
    const { namespace } = cluster;
    statusNode = cluster.addNode("status-for-repl", "status");
    repl = spawn("npm", ["run", "--silent", "repl"], {
      cwd: ROOT,
      env: {
        ...process.env,
        TRANSPORTER: NATS_URL,
        NAMESPACE: namespace,
        LOG_LEVEL: "warn",
        DATA_DIR: createTempDir().path,
      },
      stdio: ["pipe", "pipe", "pipe"],
      detached: true,
    });
    // The REPL colours its output; strip ANSI codes so assertions read plain text.
    const append = (d: Buffer): void => void (output += d.toString().replace(/\x1b\[[0-9;]*m/g, ""));
    repl.stdout?.on("data", append);
    repl.stderr?.on("data", append);
  });

  afterAll(async () => {
    if (repl?.pid) process.kill(-repl.pid, "SIGKILL");
    await cluster?.stop();
  });

  it("sees the cluster's nodes and calls an action on another node", async () => {
    // Ask repeatedly until discovery has happened; each answer is appended to output.
    await waitFor(
      () => {
        repl.stdin?.write("call status.get\n");
        return output.includes("nodeId: 'status-for-repl'");
      },
      { timeoutMs: 60000, intervalMs: 1500, what: "the status node's reply in the REPL" },
    ).catch((err: Error) => {
      throw new Error(
        `${err.message}\n--- REPL output ---\n${output.slice(-2000)}\n--- status node ---\n${statusNode.output().slice(-2000)}`,
      );
    });
    repl.stdin?.write("nodes\n");
    await waitFor(() => output.includes("status-for-repl") && /repl-\d+/.test(output), {
      timeoutMs: 10000,
      what: "node list",
    });
  });
});
