import { retryDelayMs } from "../../../../mixins/durable-events/backoff";
import { durableEventsUrl, networkAdapterConfig, transportOf } from "../../../../mixins/durable-events/adapter-factory";
import { deliveryCount } from "../../../../mixins/durable-events/delivery";
import {
  createEnvelope,
  deadLetterChannel,
  isValidEventName,
  parseEnvelope,
} from "../../../../mixins/durable-events/envelope";
import { KeyLanes } from "../../../../mixins/durable-events/key-lanes";
import { resolveTuning } from "../../../../mixins/durable-events/tuning";
import { testConfig } from "../../../helpers/infra";

import type { DurableEventName } from "../../../../mixins/durable-events/catalog";
import "../../../integration/mixins/durable-events/helpers/test-events";

// Names outside the catalog, to exercise the runtime check a typo or a cast would hit.
const unchecked = (n: string) => n as DurableEventName;

describe("envelope", () => {
  it("builds an envelope with a fresh id and producer", () => {
    const now = new Date("2026-01-02T03:04:05.000Z");
    const a = createEnvelope("dtest.pinged", { seq: 1 }, "v1.users", now);
    const b = createEnvelope("dtest.pinged", { seq: 1 }, "v1.users", now);
    expect(a.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(a.id).not.toBe(b.id);
    expect(a).toMatchObject({
      type: "dtest.pinged",
      occurredAt: "2026-01-02T03:04:05.000Z",
      producer: "v1.users",
      payload: { seq: 1 },
    });
  });

  it("rejects bad event names and non-object payloads", () => {
    expect(isValidEventName("user.registered")).toBe(true);
    expect(isValidEventName("stream.wentLive")).toBe(true);
    expect(isValidEventName("user")).toBe(false);
    expect(isValidEventName("DLQ.user.registered")).toBe(false);
    expect(isValidEventName("user registered")).toBe(false);
    expect(() => createEnvelope(unchecked("nope"), { seq: 1 }, "p")).toThrow(/Invalid durable event name/);
    expect(() => createEnvelope("dtest.pinged", JSON.parse("null"), "p")).toThrow(/object payload/);
  });

  it("parses only well-formed envelopes of the expected type", () => {
    const env = createEnvelope("dtest.pinged", { seq: 1 }, "p");
    expect(parseEnvelope(JSON.parse(JSON.stringify(env)), "dtest.pinged")).toEqual({ ok: true, envelope: env });
    expect(parseEnvelope(env, "post.published")).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/does not match/),
    });
    expect(parseEnvelope({ ...env, id: "" }, "dtest.pinged")).toMatchObject({ ok: false });
    expect(parseEnvelope({ ...env, occurredAt: "yesterday" }, "dtest.pinged")).toMatchObject({ ok: false });
    expect(parseEnvelope({ ...env, payload: undefined }, "dtest.pinged")).toMatchObject({ ok: false });
    expect(parseEnvelope("text", "dtest.pinged")).toMatchObject({ ok: false });
    expect(parseEnvelope([env], "dtest.pinged")).toMatchObject({ ok: false });
  });

  it("names the dead-letter channel DLQ.<type>", () => {
    expect(deadLetterChannel("user.registered")).toBe("DLQ.user.registered");
  });
});

describe("retryDelayMs", () => {
  it("doubles from the base and caps", () => {
    expect([0, 1, 2, 3, 4, 5].map((n) => retryDelayMs(n, 100, 500))).toEqual([0, 100, 200, 400, 500, 500]);
  });
});

describe("deliveryCount", () => {
  it("reads each adapter's redelivery information", () => {
    expect(deliveryCount({ deliveryCount: 2 })).toBe(2);
    expect(deliveryCount({ info: { redeliveryCount: 3 } })).toBe(3);
    expect(deliveryCount({ properties: { headers: {} } })).toBe(1);
    expect(deliveryCount({ properties: { headers: { "x-redelivered-count": 2 } } })).toBe(3);
    expect(deliveryCount({ payload: {}, headers: {} })).toBeUndefined();
    expect(deliveryCount(undefined)).toBeUndefined();
  });
});

describe("adapter choice", () => {
  it("maps URL schemes and fails fast on unknown ones", () => {
    expect(transportOf(undefined)).toBe("in-process");
    expect(transportOf("nats://127.0.0.1:4222")).toBe("nats");
    expect(transportOf("amqps://h")).toBe("amqp");
    expect(transportOf("rediss://h")).toBe("redis");
    expect(() => transportOf("kafka://h")).toThrow(/unsupported scheme 'kafka:'/);
  });

  it("prefixes names with the namespace and enables dead letters with maxRetries from config", async () => {
    const config = await testConfig({
      DURABLE_EVENTS_URL: "amqp://guest:guest@127.0.0.1:5672",
      DURABLE_EVENTS_MAX_RETRIES: "4",
      NAMESPACE: "nsx",
    });
    const adapter = networkAdapterConfig(config, resolveTuning());
    expect(adapter).toMatchObject({
      type: "AMQP",
      options: {
        prefix: "nsx",
        maxRetries: 6,
        maxInFlight: 256,
        deadLettering: { enabled: true },
        amqp: { messageOptions: { persistent: true } },
      },
    });
    const narrow = await testConfig({ DURABLE_EVENTS_URL: "nats://h:4222", DURABLE_EVENTS_MAX_IN_FLIGHT: "8" });
    expect(networkAdapterConfig(narrow, resolveTuning())?.options.maxInFlight).toBe(8);
    const inProcess = await testConfig({ DURABLE_EVENTS_URL: undefined });
    expect(networkAdapterConfig(inProcess, resolveTuning())).toBeNull();
  });

  it("uses JetStream on the NATS transporter when no durable URL is set", async () => {
    const overNats = await testConfig({ TRANSPORTER: "nats://10.0.0.1:4222", DURABLE_EVENTS_URL: undefined });
    expect(durableEventsUrl(overNats)).toBe("nats://10.0.0.1:4222");
    expect(networkAdapterConfig(overNats, resolveTuning())).toMatchObject({
      type: "NATS",
      options: { nats: { url: "nats://10.0.0.1:4222" } },
    });
    const explicit = await testConfig({
      TRANSPORTER: "nats://10.0.0.1:4222",
      DURABLE_EVENTS_URL: "redis://10.0.0.2:6379",
    });
    expect(durableEventsUrl(explicit)).toBe("redis://10.0.0.2:6379");
  });
});

describe("ordering key on the envelope", () => {
  it("carries a key, and a parsed key/version must be well-formed", () => {
    const keyed = createEnvelope("dtest.pinged", { seq: 1 }, "docs", new Date(), "doc:1");
    expect(keyed.key).toBe("doc:1");
    expect(() => createEnvelope("dtest.pinged", { seq: 1 }, "docs", new Date(), "")).toThrow(/ordering key/);
    expect(parseEnvelope({ ...keyed, version: 3 }, "dtest.pinged").ok).toBe(true);
    expect(parseEnvelope({ ...keyed, version: 0 }, "dtest.pinged")).toEqual({ ok: false, reason: "invalid version" });
    expect(parseEnvelope({ ...keyed, version: "3" }, "dtest.pinged")).toEqual({ ok: false, reason: "invalid version" });
    expect(parseEnvelope({ ...keyed, key: 7 }, "dtest.pinged")).toEqual({ ok: false, reason: "invalid key" });
  });
});

describe("KeyLanes", () => {
  const deferred = () => {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => (resolve = r));
    return { promise, resolve };
  };

  it("runs one key's work in arrival order, other keys in parallel, past a failure", async () => {
    const lanes = new KeyLanes();
    const log: string[] = [];
    const gate = deferred();
    const a1 = lanes.run("a", async () => {
      await gate.promise;
      log.push("a1");
      throw new Error("a1 fails");
    });
    const a2 = lanes.run("a", async () => void log.push("a2"));
    const b1 = lanes.run("b", async () => void log.push("b1"));
    await b1;
    expect(log).toEqual(["b1"]);
    gate.resolve();
    await expect(a1).rejects.toThrow("a1 fails");
    await a2;
    expect(log).toEqual(["b1", "a1", "a2"]);
    await new Promise((r) => setImmediate(r));
    expect(lanes.size).toBe(0);
  });
});
