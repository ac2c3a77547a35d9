/**
 * Embedded mode (no DURABLE_EVENTS_URL): the in-process adapter must give the
 * same consumer-group, dedupe, retry and dead-letter behaviour as the network ones.
 */
import type { ServiceBroker } from "moleculer";
import { DEAD_LETTER_DEPTH_METRIC, DEAD_LETTER_METRIC, getRuntime } from "../../../../mixins/durable-events/runtime";
import { checkDeadLetterOperations } from "../../../integration/mixins/durable-events/helpers/dead-letter-spec";
import { createEnvelope } from "../../../../mixins/durable-events/envelope";
import {
  FAST_TUNING,
  consumerSchema,
  createBroker,
  durableConfig,
  newRecorder,
  producerSchema,
} from "../../../integration/mixins/durable-events/helpers/brokers";
import { waitFor } from "../../../helpers/infra";

describe("durable events in-process", () => {
  let broker: ServiceBroker;
  const rec = newRecorder();

  beforeAll(async () => {
    // Metrics on (no reporter) to check the dead-letter counter.
    broker = createBroker(await durableConfig(undefined), FAST_TUNING, { metrics: { enabled: true, reporter: [] } });
    broker.createService(producerSchema());
    broker.createService(consumerSchema(rec, { name: "consumerA", dlqGroup: "dlq-watch" }));
    broker.createService(consumerSchema(rec, { name: "consumerB" })); // same group: shares the work
    broker.createService(consumerSchema(rec, { name: "auditor", group: "audit" }));
    await broker.start();
  });
  afterAll(() => broker.stop());

  it("delivers each event once per consumer group", async () => {
    const ids: string[] = [];
    for (let seq = 0; seq < 10; seq++) ids.push(await broker.call("producer.ping", { seq }));
    await waitFor(() => rec.handled.length >= 20, { what: "20 handled" });
    const handled = rec.handled.filter((h) => ids.includes(h.envelope.id));
    for (const group of ["consumers", "audit"]) {
      const inGroup = handled.filter((h) => h.group === group);
      expect(inGroup.map((h) => h.envelope.id).sort()).toEqual([...ids].sort());
    }
    // consumerA and consumerB share group "consumers": both got work
    expect(new Set(handled.filter((h) => h.group === "consumers").map((h) => h.service))).toEqual(
      new Set(["consumerA", "consumerB"]),
    );
    expect(handled[0].envelope).toMatchObject({ type: "dtest.pinged", producer: "producer", payload: { seq: 0 } });
  });

  it("handles a redelivered event (same id) once", async () => {
    const runtime = getRuntime(broker);
    const envelope = createEnvelope("dtest.pinged", { seq: 100 }, "test");
    const before = rec.handled.length;
    await runtime.publish(envelope);
    await runtime.publish(envelope);
    await waitFor(() => rec.handled.filter((h) => h.envelope.id === envelope.id).length >= 2, {
      what: "handled by both groups",
    });
    await runtime.publish(envelope);
    const marker = createEnvelope("dtest.pinged", { seq: 101 }, "test");
    await runtime.publish(marker);
    await waitFor(() => rec.handled.filter((h) => h.envelope.id === marker.id).length === 2, { what: "marker" });
    expect(rec.handled.filter((h) => h.envelope.id === envelope.id)).toHaveLength(2);
    expect(rec.handled.length - before).toBe(4);
  });

  it("retries a handler that fails once", async () => {
    const envelope = createEnvelope("dtest.flaky", { seq: 1 }, "test");
    await getRuntime(broker).publish(envelope);
    await waitFor(() => rec.handled.filter((h) => h.envelope.id === envelope.id).length === 2, {
      what: "flaky handled by both groups",
    });
    expect(rec.attempts.get(`consumers:${envelope.id}`)).toBe(2);
    expect(rec.attempts.get(`audit:${envelope.id}`)).toBe(2);
  });

  it("dead-letters a malformed message at once", async () => {
    const runtime = getRuntime(broker);
    const before = rec.deadLetters.length;
    await runtime.adapter.publish(
      runtime.adapter.addPrefixTopic("dtest.failed"),
      { id: "x1", type: "dtest.failed", payload: "not an object" },
      {},
    );
    await waitFor(() => rec.deadLetters.length >= before + 2, {
      what: "malformed message dead-lettered by both groups",
    });
    const letters = rec.deadLetters.slice(before);
    expect(letters.map((d) => d.headers["x-error"])).toEqual([
      "missing or invalid occurredAt",
      "missing or invalid occurredAt",
    ]);
    expect(letters.map((d) => d.headers["x-original-group"]).sort()).toEqual(["audit", "consumers"]);
    // the handler never ran
    expect([...rec.attempts.keys()].some((k) => k.endsWith(":x1"))).toBe(false);
  });

  it("dead-letters after maxRetries failed deliveries", async () => {
    const envelope = createEnvelope("dtest.failed", { seq: 2 }, "test");
    await getRuntime(broker).publish(envelope);
    const letters = () => rec.deadLetters.filter((d) => (d.message as { id?: string }).id === envelope.id);
    await waitFor(() => letters().length >= 2, { what: "2 dead letters (one per group)" });
    expect(letters()).toHaveLength(2);
    expect(
      letters()
        .map((d) => d.headers["x-original-group"])
        .sort(),
    ).toEqual(["audit", "consumers"]);
    expect(letters()[0].message).toEqual(envelope);
    expect(letters()[0].headers["x-error"]).toMatch(/always fails/);
    const counter = broker.metrics.getMetric(DEAD_LETTER_METRIC);
    expect(counter?.get({ type: "dtest.failed", group: "consumers" })?.value).toBe(1);
    expect(counter?.get({ type: "dtest.failed", group: "audit" })?.value).toBe(1);
    // maxRetries = 3 deliveries in each group
    expect(rec.attempts.get(`consumers:${envelope.id}`)).toBe(3);
    expect(rec.attempts.get(`audit:${envelope.id}`)).toBe(3);
  });

  it("lets operators list, inspect, replay and drop dead letters (kept in memory without a database)", async () => {
    await checkDeadLetterOperations(broker, rec, 3);
  });

  it("reports the dead-letter depth of the types consumed here as a gauge", async () => {
    const runtime = getRuntime(broker);
    const envelope = createEnvelope("dtest.failed", { seq: 5 }, "test");
    await runtime.publish(envelope);
    const store = await runtime.deadLetters();
    // Dead-lettered by "consumers" (and by "audit" unless the test above fixed its handler).
    const depth = await waitFor(
      async () =>
        (await store.list("dtest.failed", 10)).some((l) => l.eventId === envelope.id) && store.depth("dtest.failed"),
      { what: "a dead letter", timeoutMs: 4000 },
    );
    // Refreshed every 30 s from boot on; refresh now instead of waiting.
    await runtime.refreshDeadLetterGauge();
    expect(broker.metrics.getMetric(DEAD_LETTER_DEPTH_METRIC)?.get({ type: "dtest.failed" })?.value).toBe(depth);
  });
});
