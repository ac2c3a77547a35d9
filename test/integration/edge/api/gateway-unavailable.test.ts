import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { ServiceBroker } from "moleculer";
import { NATS_URL, testConfig, uniqueId, waitFor } from "../../../helpers/infra";
import { startGateway, TestService, type ErrorBodyShape, type Gateway } from "./gateway-harness";
import type { RouteTable } from "../../../../services/edge/api/route-table";

jest.setTimeout(60000);

const REMOTE_TABLE: RouteTable = {
  routes: [
    { method: "GET", path: "/t/items/:id", action: "gwtest.item", auth: "none", summary: "Item on another node" },
    { method: "GET", path: "/r/ping", action: "gwremote.ping", auth: "none", summary: "Ping a crashable node" },
    { method: "GET", path: "/r/hang", action: "gwremote.hang", auth: "none", summary: "Never answers" },
  ],
};

async function expect503(res: Response): Promise<void> {
  expect(res.status).toBe(503);
  expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  const body = (await res.json()) as ErrorBodyShape;
  expect(body.error.code).toBe("SERVICE_UNAVAILABLE");
  expect(JSON.stringify(body)).not.toMatch(/gwtest|gwremote|node/i);
}

describe("gateway → services on other nodes over NATS", () => {
  let gw: Gateway;
  let namespace: string;

  beforeAll(async () => {
    const config = await testConfig({ TRANSPORTER: NATS_URL });
    namespace = config.namespace;
    gw = await startGateway(config, {
      tables: [REMOTE_TABLE],
      withTestService: false,
      broker: { transporter: NATS_URL, heartbeatInterval: 1, heartbeatTimeout: 3, requestTimeout: 20000 },
    });
  });
  afterAll(() => gw?.stop());

  it("readiness includes the transporter connection", async () => {
    const res = await fetch(`${gw.base}/health/ready`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { checks: unknown[] }).checks).toContainEqual({ name: "transporter", ok: true });
  });

  it("503 SERVICE_UNAVAILABLE, fast, once the service's node has left", async () => {
    const serviceNode = new ServiceBroker({ logger: false, namespace, nodeID: uniqueId("svc"), transporter: NATS_URL });
    serviceNode.createService(TestService);
    await serviceNode.start();
    await waitFor(async () => (await fetch(`${gw.base}/api/v1/t/items/abc`)).status === 200, {
      what: "remote service reachable",
    });

    await serviceNode.stop();
    const started = Date.now();
    await expect503(await fetch(`${gw.base}/api/v1/t/items/abc`));
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("a request in flight to a node that crashes is released with 503 (heartbeat timeout), not left hanging", async () => {
    const child: ChildProcess = spawn(
      process.execPath,
      ["--import", "tsx", join(__dirname, "fixtures", "remote-node.ts")],
      {
        env: { ...process.env, NAMESPACE: namespace, NODE_ID: uniqueId("crash"), TRANSPORTER: NATS_URL },
        stdio: ["ignore", "pipe", "inherit"],
      },
    );
    try {
      await waitFor(async () => (await fetch(`${gw.base}/api/v1/r/ping`)).status === 200, {
        what: "crashable node reachable",
        timeoutMs: 30000,
        intervalMs: 200,
      });
      const inFlight = fetch(`${gw.base}/api/v1/r/hang`);
      // Give the call time to reach the node before it dies.
      await waitFor(() => gw.broker.transit?.pendingRequests.size === 1, { what: "request in flight" });
      const started = Date.now();
      child.kill("SIGKILL");
      await expect503(await inFlight);
      // Released by the heartbeat timeout (3s here), well before the 20s request timeout.
      expect(Date.now() - started).toBeLessThan(10000);
      await expect503(await fetch(`${gw.base}/api/v1/r/ping`));
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
  });
});
