/**
 * A node that just started gets broadcasts at once (lib/broker/announce-started.ts):
 * once `broker.start()` resolved, the nodes already running know its event
 * listeners, so a `cache.invalidated` sent right then reaches it. Real NATS,
 * brokers built like production nodes (bin/broker-options), a namespace per test.
 */
import { ServiceBroker } from "moleculer";
import { buildBrokerOptions } from "../../../../bin/broker-options";
import { announceStarted } from "../../../../lib/broker/announce-started";
import { NATS_URL, testConfig, uniqueId, waitFor } from "../../../helpers/infra";

jest.setTimeout(90000);

/** How long a broadcast may take to arrive; it arrives in milliseconds or never. */
const DELIVERY_MS = 5000;

describe("a node that just started", () => {
  const brokers: ServiceBroker[] = [];

  const node = async (namespace: string, prefix: string): Promise<ServiceBroker> => {
    const config = await testConfig({ NAMESPACE: namespace, TRANSPORTER: NATS_URL, NODE_ID: uniqueId(prefix) });
    const broker = new ServiceBroker({ ...buildBrokerOptions(config), logger: false });
    brokers.push(broker);
    return broker;
  };

  afterEach(async () => {
    await Promise.all(brokers.splice(0).map((b) => b.stop()));
  });

  const knowsListener = (from: ServiceBroker, of: ServiceBroker): boolean =>
    from.registry.events.getAllEndpoints("cache.invalidated").some((n: { id: string }) => n.id === of.nodeID);

  it("gets a broadcast sent by another node right after its start() resolved", async () => {
    const namespace = uniqueId("announce");
    const nodeA = await node(namespace, "a");
    await nodeA.start();
    const nodeB = await node(namespace, "b");
    const received: unknown[] = [];
    nodeB.createService({
      name: "gateway-cache",
      events: { "cache.invalidated": (ctx: { params: unknown }) => void received.push(ctx.params) },
    });
    await nodeB.start();

    // No waiting: node A registered B's listener before B's start() resolved.
    expect(knowsListener(nodeA, nodeB)).toBe(true);
    await nodeA.broadcast("cache.invalidated", { keys: ["channels.get"] });
    await waitFor(() => received.length > 0, { timeoutMs: DELIVERY_MS, what: "node B to get the broadcast" });
    expect(received).toEqual([{ keys: ["channels.get"] }]);
  });

  it("is known at once by every node already running", async () => {
    const namespace = uniqueId("announce");
    const first = await node(namespace, "first");
    first.createService({ name: "listener-first", events: { "cache.invalidated": () => undefined } });
    await first.start();
    // Alone in its namespace: nobody to ping, so the (here long) pong timeout is not waited for.
    const announcedAt = Date.now();
    await announceStarted(first, 60_000);
    expect(Date.now() - announcedAt).toBeLessThan(30_000);

    const others = [await node(namespace, "a1"), await node(namespace, "a2")];
    await Promise.all(others.map((b) => b.start()));
    const late = await node(namespace, "late");
    late.createService({ name: "listener-late", events: { "cache.invalidated": () => undefined } });
    await late.start();
    for (const b of [first, ...others]) expect(knowsListener(b, late)).toBe(true);
  });
});
