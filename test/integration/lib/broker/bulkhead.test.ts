/**
 * The platform bulkhead gives every slot back, whatever the failure: after a
 * burst of failing calls of each kind the action holds no slot, queues
 * nothing, and a good call answers at once. With Moleculer's own bulkhead a
 * synchronous throw below it (fastest-validator overflowing its stack on a
 * 6000-level body) kept the slot forever and every later call timed out.
 */
import { Errors, ServiceBroker, type Context, type Middleware } from "moleculer";
import { buildBrokerOptions } from "../../../../bin/broker-options";
import { BULKHEAD } from "../../../../bin/platform-middlewares";
import { bulkheadLoad, SafeBulkheadMiddleware } from "../../../../lib/broker/bulkhead";
import { testConfig, waitFor } from "../../../helpers/infra";

const CONCURRENCY = BULKHEAD.concurrency;
/** More calls than slots plus queue, so every burst also overflows the queue. */
const BURST = BULKHEAD.concurrency + BULKHEAD.maxQueueSize + 30;

/** A layer below the bulkhead that throws synchronously when asked to (as the validator did). */
const ThrowsBelow: Middleware = {
  localAction(handler: (ctx: Context) => unknown) {
    return (ctx: Context) => {
      if ((ctx.meta as { throwBelow?: boolean }).throwBelow) throw new Error("synchronous throw below the bulkhead");
      return handler(ctx);
    };
  },
};

const deep = (levels: number): unknown => JSON.parse(`${"[".repeat(levels)}${"]".repeat(levels)}`);

type Mode = "ok" | "throw" | "reject" | "hook" | "hang" | "slow";

describe("bulkhead: slots return to zero after failing calls of every kind", () => {
  let broker: ServiceBroker;
  let hung = 0;

  beforeAll(async () => {
    const options = buildBrokerOptions(await testConfig());
    broker = new ServiceBroker({
      ...options,
      logger: false,
      requestTimeout: 300,
      // Only the bulkhead is under test: no breaker opening, no retries multiplying the calls.
      circuitBreaker: { enabled: false },
      retryPolicy: { enabled: false },
      // First in the list is innermost: ThrowsBelow sits under the platform's bulkhead.
      middlewares: [ThrowsBelow, ...(options.middlewares ?? [])],
    });
    broker.createService({
      name: "probe",
      hooks: {
        before: {
          work(ctx: Context<{ mode: Mode }>) {
            if (ctx.params.mode === "hook") throw new Error("before hook throws");
          },
        },
      },
      actions: {
        refresh: { params: { refreshToken: "string" }, handler: () => "refreshed" },
        work: {
          params: { mode: { type: "enum", values: ["ok", "throw", "reject", "hook", "hang", "slow"] } },
          handler(ctx: Context<{ mode: Mode }>) {
            switch (ctx.params.mode) {
              case "throw":
                throw new Errors.MoleculerServerError("handler throws", 500, "BOOM");
              case "reject":
                return Promise.reject(new Error("handler rejects"));
              case "hang":
                hung++;
                return new Promise(() => undefined);
              case "slow":
                return new Promise((r) => setTimeout(() => r("late"), 700));
              default:
                return "ok";
            }
          },
        },
      },
    });
    await broker.start();
  });
  afterAll(() => broker?.stop());

  async function burst(
    action: string,
    params: unknown,
    meta: Record<string, unknown> = {},
    size = BURST,
  ): Promise<Set<string>> {
    const results = await Promise.allSettled(
      Array.from({ length: size }, () => broker.call(action, params as Record<string, unknown>, { meta })),
    );
    return new Set(results.map((r) => (r.status === "fulfilled" ? "ok" : (r.reason as Error).name)));
  }

  /** No slot held, nothing queued, and a good call answers at once. */
  async function expectDrained(action: string, good: Record<string, unknown>, answer: string): Promise<void> {
    await waitFor(
      () => {
        const load = bulkheadLoad(broker, action);
        return load.inFlight === 0 && load.queued === 0;
      },
      { timeoutMs: 5000, what: `${action} slots back to zero` },
    );
    const started = Date.now();
    expect(await broker.call(action, good)).toBe(answer);
    expect(Date.now() - started).toBeLessThan(200);
  }

  it("is the platform bulkhead, not Moleculer's", () => {
    expect(broker.options.bulkhead?.enabled).toBe(false);
    expect(bulkheadLoad(broker, "probe.work")).toEqual({ inFlight: 0, queued: 0 });
  });

  it("validation that overflows the stack (the 6000-level refresh token) is a validation error", async () => {
    // Each overflow costs milliseconds: a few times the slot count is enough to have leaked them all before.
    const outcomes = await burst("probe.refresh", { refreshToken: deep(6000) }, {}, 3 * CONCURRENCY);
    expect(outcomes).toEqual(new Set(["ValidationError"]));
    await expectDrained("probe.refresh", { refreshToken: "t" }, "refreshed");
  });

  it("ordinary validation errors", async () => {
    expect(await burst("probe.refresh", { refreshToken: 42 })).toEqual(new Set(["ValidationError"]));
    await expectDrained("probe.refresh", { refreshToken: "t" }, "refreshed");
  });

  it("a synchronous throw in a middleware below the bulkhead", async () => {
    const outcomes = await burst("probe.work", { mode: "ok" }, { throwBelow: true });
    expect(outcomes.has("ok")).toBe(false);
    await expectDrained("probe.work", { mode: "ok" }, "ok");
  });

  it.each(["throw", "reject", "hook"] as const)("handlers that fail (%s)", async (mode) => {
    const outcomes = await burst("probe.work", { mode });
    expect(outcomes.has("ok")).toBe(false);
    await expectDrained("probe.work", { mode: "ok" }, "ok");
  });

  it("timeouts: a handler that never settles gives its slot back at the caller's deadline", async () => {
    hung = 0;
    const outcomes = await burst("probe.work", { mode: "hang" });
    expect(outcomes).toEqual(new Set(["RequestTimeoutError", "QueueIsFullError"]));
    await expectDrained("probe.work", { mode: "ok" }, "ok");
    // Calls still queued when their deadline passed were dropped, not run.
    expect(hung).toBeGreaterThanOrEqual(CONCURRENCY);
    expect(hung).toBeLessThan(BURST);
  });

  it("timeouts: slow handlers that finish after their deadline", async () => {
    const outcomes = await burst("probe.work", { mode: "slow" });
    expect(outcomes.has("RequestTimeoutError")).toBe(true);
    await expectDrained("probe.work", { mode: "ok" }, "ok");
  });
});

describe("bulkhead gauges", () => {
  it("report the slots in use and the queue while calls run and wait, and zero once they are done", async () => {
    const broker = new ServiceBroker({
      logger: false,
      metrics: { enabled: true, reporter: [] },
      middlewares: [SafeBulkheadMiddleware({ concurrency: 1, maxQueueSize: 5 })],
    });
    const gates: Array<() => void> = [];
    broker.createService({
      name: "gauged",
      actions: { wait: () => new Promise<void>((resolve) => gates.push(resolve)) },
    });
    await broker.start();
    const gauge = (name: string): number | undefined =>
      (broker.metrics.getMetric(name)?.get({ action: "gauged.wait", service: "gauged" }) as { value?: number } | null)
        ?.value;
    try {
      const calls = [1, 2, 3].map(() => broker.call("gauged.wait"));
      await waitFor(() => gates.length === 1);
      expect(gauge("moleculer.request.bulkhead.inflight")).toBe(1);
      expect(gauge("moleculer.request.bulkhead.queue.size")).toBe(2);
      gates.shift()?.();
      await waitFor(() => gates.length === 1 && gauge("moleculer.request.bulkhead.queue.size") === 1);
      expect(gauge("moleculer.request.bulkhead.inflight")).toBe(1);
      gates.shift()?.();
      await waitFor(() => gates.length === 1 && gauge("moleculer.request.bulkhead.queue.size") === 0);
      gates.shift()?.();
      await Promise.all(calls);
      expect(gauge("moleculer.request.bulkhead.inflight")).toBe(0);
      expect(gauge("moleculer.request.bulkhead.queue.size")).toBe(0);
    } finally {
      await broker.stop();
    }
  });
});
