/**
 * The foundation's promise, end to end over real processes: a two-node
 * cluster over the real NATS serves a REST call from the gateway node to a
 * service on the other node; killing that node makes calls fail fast with 503;
 * they recover when it returns.
 */
import { waitFor } from "../../helpers/infra";
import type { ArenaNode } from "../../helpers/cluster";
import { startE2eCluster, type E2eCluster } from "../../helpers/e2e-cluster";
import { failsFastWithin } from "../../helpers/timing-bounds";

/** The nodes' action timeout: a refused call must come back well before it. */
const REQUEST_TIMEOUT_MS = 10000;

describe("two-node cluster over NATS", () => {
  let cluster: E2eCluster;
  let base: string;

  beforeAll(async () => {
    cluster = await startE2eCluster({
      prefix: "e2e",
      database: false,
      nodes: { gw: "api" },
      timeoutMs: 60000,
      stopSignal: "SIGKILL",
      env: { REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) },
    });
    base = cluster.base;
  });

  afterAll(async () => {
    await cluster?.stop();
  });

  const startStatusNode = (name: string): ArenaNode => cluster.addNode(name, "status");

  const getStatus = async (): Promise<{ status: number; elapsedMs: number; body: any }> => {
    const started = Date.now();
    const res = await fetch(`${base}/api/v1/status`, { signal: AbortSignal.timeout(30000) });
    return { status: res.status, elapsedMs: Date.now() - started, body: await res.json() };
  };

  it("serves a call from the gateway node to a service on another node", async () => {
    startStatusNode("status-1");
    const res = await waitFor(
      async () => {
        const r = await getStatus();
        return r.status === 200 ? r : undefined;
      },
      { timeoutMs: 30000, what: "status via the gateway" },
    );
    expect(res.body.nodeId).toBe("status-1");
  });

  it("answers 503 fast once the node is killed, and recovers when it returns", async () => {
    const victim = cluster.nodes.find((n) => n.name === "status-1")!;
    await victim.kill("SIGKILL");

    // Within the heartbeat timeout the dead node is dropped; from then on
    // every call is refused at once rather than waiting for a timeout.
    const refused = await waitFor(
      async () => {
        const r = await getStatus();
        return r.status === 503 ? r : undefined;
      },
      { timeoutMs: 30000, intervalMs: 200, what: "503 after the node died" },
    );
    expect(refused.body.error.code).toBe("SERVICE_UNAVAILABLE");
    const again = await getStatus();
    expect(again.status).toBe(503);
    expect(again.elapsedMs).toBeLessThan(failsFastWithin(REQUEST_TIMEOUT_MS));

    startStatusNode("status-2");
    const recovered = await waitFor(
      async () => {
        const r = await getStatus();
        return r.status === 200 ? r : undefined;
      },
      { timeoutMs: 30000, what: "recovery after the node returned" },
    );
    expect(recovered.body.nodeId).toBe("status-2");
  });

  it("answers 503 right away when the node leaves gracefully", async () => {
    const node = cluster.nodes.find((n) => n.name === "status-2")!;
    await node.kill("SIGTERM");
    const r = await waitFor(
      async () => {
        const x = await getStatus();
        return x.status === 503 ? x : undefined;
      },
      { timeoutMs: 5000, intervalMs: 100, what: "503 after graceful leave" },
    );
    expect(r.elapsedMs).toBeLessThan(failsFastWithin(REQUEST_TIMEOUT_MS));
  });
});
