/**
 * The same delivery guarantees checked on every network transport: two
 * brokers in one consumer group, dedupe of redeliveries, retry, dead letters.
 * The brokers share no Moleculer transporter: only the durable-events server
 * connects them, as two nodes of one service would be.
 */
import type { ServiceBroker } from "moleculer";
import type { ArenaConfig } from "../../../../../lib/config";
import { createEnvelope } from "../../../../../mixins/durable-events/envelope";
import { getRuntime } from "../../../../../mixins/durable-events/runtime";
import { waitFor } from "../../../../helpers/infra";
import { checkDeadLetterOperations } from "./dead-letter-spec";
import { runEventsCli } from "./events-cli";
import { consumerSchema, createBroker, durableConfig, newRecorder, producerSchema, type Recorder } from "./brokers";

export interface TransportSuiteOptions {
  url: string;
  redisUrl?: string;
  cleanup(config: ArenaConfig): Promise<void>;
  /** Also drive the dead letters through `npm run events -- dlq` (a process per command: one transport is enough). */
  checkCli?: boolean;
}

export function transportSuite(opts: TransportSuiteOptions): void {
  let config: ArenaConfig;
  let nodeA: ServiceBroker;
  let nodeB: ServiceBroker;
  let rec: Recorder;

  beforeAll(async () => {
    config = await durableConfig(opts.url, { REDIS_URL: opts.redisUrl });
    rec = newRecorder();
    nodeA = createBroker(config);
    nodeB = createBroker(config);
    nodeA.createService(producerSchema());
    nodeA.createService(consumerSchema(rec, { dlqGroup: "dlq-watch" }));
    // One at a time, in arrival order: the redelivery test below relies on it.
    nodeA.createService(consumerSchema(rec, { name: "auditor", group: "audit", maxInFlight: 1 }));
    nodeB.createService(consumerSchema(rec));
    await Promise.all([nodeA.start(), nodeB.start()]);
  });

  afterAll(async () => {
    await Promise.all([nodeA?.stop(), nodeB?.stop()]);
    if (config) await opts.cleanup(config);
  });

  const handledIn = (group: string, id: string) => rec.handled.filter((h) => h.group === group && h.envelope.id === id);

  it("two nodes in one consumer group receive each event exactly once between them", async () => {
    const ids: string[] = [];
    for (let seq = 0; seq < 30; seq++) ids.push(await nodeA.call("producer.ping", { seq }));
    await waitFor(
      () => ids.every((id) => handledIn("consumers", id).length >= 1 && handledIn("audit", id).length >= 1),
      {
        what: "every event handled in both groups",
        timeoutMs: 20000,
      },
    );
    for (const id of ids) {
      expect(handledIn("consumers", id)).toHaveLength(1);
      expect(handledIn("audit", id)).toHaveLength(1);
    }
    const nodes = new Set(rec.handled.filter((h) => h.group === "consumers").map((h) => h.node));
    expect(nodes).toEqual(new Set([nodeA.nodeID, nodeB.nodeID]));
    expect(handledIn("audit", ids[0])[0].envelope).toMatchObject({
      type: "dtest.pinged",
      producer: "producer",
      payload: { seq: 0 },
    });
  });

  it("handles an event redelivered with the same id once per group", async () => {
    const runtime = getRuntime(nodeA);
    const duplicate = createEnvelope("dtest.pinged", { seq: 1000 }, "test");
    // Straight through the adapter: JetStream would itself drop a second publish with the same msgID.
    const subject = runtime.adapter.addPrefixTopic("dtest.pinged");
    await runtime.adapter.publish(subject, duplicate, {});
    await runtime.adapter.publish(subject, duplicate, {});
    await runtime.adapter.publish(subject, duplicate, {});
    const marker = createEnvelope("dtest.pinged", { seq: 1001 }, "test");
    await runtime.adapter.publish(subject, marker, {});
    // "audit" has one consumer handling one message at a time, so once the marker is in, the copies before it are done.
    await waitFor(() => handledIn("audit", marker.id).length === 1 && handledIn("consumers", marker.id).length === 1, {
      what: "marker handled",
    });
    await waitFor(() => handledIn("consumers", duplicate.id).length >= 1, { what: "duplicate handled in consumers" });
    expect(handledIn("audit", duplicate.id)).toHaveLength(1);
    expect(handledIn("consumers", duplicate.id)).toHaveLength(1);
  });

  it("retries a handler that fails once, then succeeds", async () => {
    const envelope = createEnvelope("dtest.flaky", { seq: 2000 }, "test");
    await getRuntime(nodeA).publish(envelope);
    await waitFor(
      () => handledIn("consumers", envelope.id).length === 1 && handledIn("audit", envelope.id).length === 1,
      {
        what: "flaky event handled in both groups",
        timeoutMs: 20000,
      },
    );
    expect(rec.attempts.get(`consumers:${envelope.id}`)).toBe(2);
    expect(rec.attempts.get(`audit:${envelope.id}`)).toBe(2);
  });

  it("moves an event whose handler always fails to DLQ.<type> after maxRetries deliveries", async () => {
    const envelope = createEnvelope("dtest.failed", { seq: 3000 }, "test");
    await getRuntime(nodeA).publish(envelope);
    await waitFor(() => rec.deadLetters.filter((d) => (d.message as { id?: string }).id === envelope.id).length === 2, {
      what: "dead letters from both groups",
      timeoutMs: 20000,
    });
    const letters = rec.deadLetters.filter((d) => (d.message as { id?: string }).id === envelope.id);
    expect(letters.map((d) => d.headers["x-original-group"]).sort()).toEqual(["audit", "consumers"]);
    expect(letters[0].message).toMatchObject({ type: "dtest.failed", payload: { seq: 3000 } });
    expect(rec.attempts.get(`consumers:${envelope.id}`)).toBe(config.durableEvents.maxRetries);
    expect(rec.attempts.get(`audit:${envelope.id}`)).toBe(config.durableEvents.maxRetries);
  });

  it("lets operators list, inspect, replay (to the group that gave up only) and drop dead letters", async () => {
    await checkDeadLetterOperations(nodeA, rec, config.durableEvents.maxRetries);
  });

  if (opts.checkCli) {
    it("the events command line lists and drops them too", async () => {
      const runtime = getRuntime(nodeA);
      const envelope = createEnvelope("dtest.failed", { seq: 5000 }, "test");
      await runtime.publish(envelope);
      const store = await runtime.deadLetters();
      await waitFor(async () => (await store.list("dtest.failed", 100)).some((l) => l.eventId === envelope.id), {
        what: "a dead letter",
        timeoutMs: 20000,
      });
      const env = { DURABLE_EVENTS_URL: opts.url, NAMESPACE: config.namespace, DURABLE_EVENTS_MAX_RETRIES: "3" };
      const listed = await runEventsCli(["dlq", "list"], env);
      expect(listed).toMatch(new RegExp(`^dtest\\.failed: \\d+  groups .*consumers:`, "m"));
      expect(listed).toContain(envelope.id);
      const dropped = await runEventsCli(["dlq", "drop", "dtest.failed", envelope.id], env);
      expect(dropped).toMatch(/Dropped [12] dead letter/);
      expect((await store.list("dtest.failed", 100)).some((l) => l.eventId === envelope.id)).toBe(false);
    });
  }
}
