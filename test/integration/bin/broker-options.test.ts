/**
 * buildBrokerOptions against the real servers: Redis cacher shared by two
 * nodes, NATS transport between brokers, the circuit breaker opening on a
 * failing remote endpoint, and typed client errors crossing the wire intact.
 */
import { ServiceBroker, Errors, type ServiceSchema } from "moleculer";
import { buildBrokerOptions } from "../../../bin/broker-options";
import { NotFoundError } from "../../../lib/errors";
import { NATS_URL, REDIS_URL, testConfig, uniqueId, waitFor } from "../../helpers/infra";

const counters = { computed: 0, failures: 0 };

const probe: ServiceSchema = {
  name: "probe",
  actions: {
    square: {
      cache: { keys: ["n"] },
      params: { n: "number" },
      handler(ctx) {
        counters.computed++;
        return (ctx.params as { n: number }).n ** 2;
      },
    },
    broken: {
      handler() {
        counters.failures++;
        throw new Errors.MoleculerServerError("boom", 500, "BOOM");
      },
    },
    missing: {
      handler() {
        throw new NotFoundError("Channel", "c1");
      },
    },
  },
};

describe("broker options on real infrastructure", () => {
  const brokers: ServiceBroker[] = [];
  afterAll(() => Promise.all(brokers.map((b) => b.stop())));

  async function broker(env: Record<string, string>, nodeID: string, withProbe: boolean): Promise<ServiceBroker> {
    const config = await testConfig(env);
    const b = new ServiceBroker({ ...buildBrokerOptions(config), nodeID, logger: false });
    if (withProbe) b.createService(probe);
    await b.start();
    brokers.push(b);
    return b;
  }

  it("shares the Redis cache between nodes when REDIS_URL is set", async () => {
    const ns = uniqueId("cache");
    const a = await broker({ REDIS_URL, NAMESPACE: ns }, "cache-a", true);
    const b = await broker({ REDIS_URL, NAMESPACE: ns }, "cache-b", true);
    expect(a.cacher?.constructor.name).toBe("BoundedRedisCacher");
    // The Redis connection opens asynchronously after broker.start().
    await waitFor(() => [a, b].every((x) => (x.cacher as unknown as { connected: boolean }).connected), {
      what: "Redis cacher connection",
    });
    counters.computed = 0;
    expect(await a.call("probe.square", { n: 7 })).toBe(49);
    // The cacher stores without blocking the reply: wait until b can see it.
    const key = a.cacher!.getCacheKey("probe.square", { n: 7 }, {}, ["n"]);
    await waitFor(async () => (await b.cacher!.get(key)) !== null, { what: "cache entry in Redis" });
    expect(await b.call("probe.square", { n: 7 })).toBe(49);
    expect(counters.computed).toBe(1);
    await a.cacher!.clean();
  });

  it("uses the memory cacher without REDIS_URL", async () => {
    const a = await broker({}, "mem-a", false);
    expect(a.cacher?.constructor.name).toBe("MemoryCacher");
    expect(a.transit).toBeUndefined();
  });

  describe("over NATS", () => {
    let caller: ServiceBroker;
    beforeAll(async () => {
      const ns = uniqueId("nats");
      await broker({ TRANSPORTER: NATS_URL, NAMESPACE: ns }, "svc-node", true);
      caller = await broker({ TRANSPORTER: NATS_URL, NAMESPACE: ns }, "caller-node", false);
      await caller.waitForServices(["probe"], 10000);
    });

    it("calls a service on another node", async () => {
      const res = await caller.call("probe.square", { n: 3 }, { meta: {} });
      expect(res).toBe(9);
    });

    it("keeps typed client errors (status and code) across the wire, and validates params", async () => {
      const err = await caller.call("probe.missing").catch((e: Errors.MoleculerError) => e);
      expect(err).toMatchObject({ code: 404, type: "NOT_FOUND" });
      const invalid = await caller.call("probe.square", { n: "x" }).catch((e: Errors.MoleculerError) => e);
      expect(invalid).toMatchObject({ code: 422, type: "VALIDATION_ERROR" });
    });

    it("opens the circuit breaker after repeated server errors so callers fail fast", async () => {
      counters.failures = 0;
      const errors: string[] = [];
      for (let i = 0; i < 20; i++) errors.push(String(await caller.call("probe.broken").catch((e: Error) => e.name)));
      expect(errors[0]).toBe("MoleculerServerError");
      expect(errors).toContain("ServiceNotAvailableError");
      // Once the breaker opened, the broken endpoint stopped receiving calls.
      expect(counters.failures).toBeLessThan(20);
    });
  });
});
