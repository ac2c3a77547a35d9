/**
 * A gateway restarted under load (SIGTERM, then a new process on the same
 * port), on a NATS of this suite's own. The fault run counted about 20
 * requests reset mid-flight. Now the old gateway stops accepting, answers
 * what is already on its connections (closing them) and exits: clients see
 * refused connections until the new one listens (nothing was sent, they
 * retry), never a request dropped after it was sent.
 */
import { startE2eCluster, type E2eCluster } from "../../helpers/e2e-cluster";
import { waitFor } from "../../helpers/infra";
import { startPrivateNats, type PrivateServer } from "../../helpers/private-servers";
import { LOAD_SLACK_MS } from "../../helpers/timing-bounds";
import { SHUTDOWN_TIMEOUT_MS } from "../../../bin/broker-options";
import { figure, RESET_ERRORS, startLoad } from "./load";

describe("faults: gateway restart under load", () => {
  let nats: PrivateServer;
  let cluster: E2eCluster;

  beforeAll(async () => {
    nats = await startPrivateNats();
    cluster = await startE2eCluster({
      prefix: "frestart",
      database: false,
      servers: { natsUrl: nats.url },
      nodes: { gw: "api", s1: "status" },
      env: { RATE_LIMIT_PER_IP: "1000000" },
      readyWhen: { status: "/status" },
    });
  });

  afterAll(async () => {
    await cluster?.stop();
    await nats?.dispose();
  });

  it("drops no request: refused while no gateway listens, never reset", async () => {
    const load = startLoad(10, `${cluster.base}/api/v1/status`);
    await waitFor(() => load.outcomes.length >= 200, { what: "load running", timeoutMs: 30000 });
    const old = cluster.nodes.find((n) => n.name.endsWith("-gw"));
    const termAt = Date.now();
    await old?.kill("SIGTERM");
    const exitedAt = Date.now();
    cluster.addNode(`${cluster.namespace}-gw2`, "api");
    await waitFor(() => load.since(exitedAt).some((o) => o.status === 200), {
      what: "the new gateway serving",
      timeoutMs: 90000,
      intervalMs: 100,
    });
    const servingAt = Date.now();
    await waitFor(() => Date.now() - servingAt > 1000, { what: "load on the new gateway" });
    const outcomes = await load.stop();

    const resets = outcomes.filter((o) => o.error !== undefined && RESET_ERRORS.has(o.error));
    const otherErrors = outcomes.filter(
      (o) => o.error !== undefined && o.error !== "ECONNREFUSED" && !resets.includes(o),
    );
    const afterTerm = outcomes.filter((o) => o.startedAt >= termAt);
    figure("gateway restart: SIGTERM to exit (drain)", exitedAt - termAt);
    figure("gateway restart: no gateway listening for", servingAt - exitedAt);
    figure(
      "gateway restart: requests after SIGTERM (ok / refused / reset)",
      `${afterTerm.filter((o) => o.status === 200).length} / ${afterTerm.filter((o) => o.error === "ECONNREFUSED").length} / ${resets.length}`,
      "",
    );
    expect(resets).toEqual([]);
    expect(otherErrors).toEqual([]);
    // Answered requests succeeded; a new gateway may answer 503 until it has discovered the status node.
    expect(outcomes.filter((o) => o.status !== undefined && o.status !== 200 && o.status !== 503)).toEqual([]);
    // Draining is bounded: in-flight requests finish, idle connections close once clients are done with them.
    // (The broker waits up to SHUTDOWN_TIMEOUT_MS for in-flight calls; the machine's load gets its slack on top.)
    expect(exitedAt - termAt).toBeLessThan(SHUTDOWN_TIMEOUT_MS + LOAD_SLACK_MS);
  });
});
