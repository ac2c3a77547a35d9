/**
 * The platform's retry policy (bin/broker-options.ts) on a real broker with
 * its real middlewares: an error that says the call never ran is retried; a
 * timed-out call is not, since its handler may still be running (a register
 * retried this way created the account and then answered 409).
 */
import { Errors, ServiceBroker } from "moleculer";
import { buildBrokerOptions } from "../../../../bin/broker-options";
import { testConfig } from "../../../helpers/infra";

describe("retry policy", () => {
  const runs = { write: 0, read: 0, unreached: 0 };
  let broker: ServiceBroker;

  beforeAll(async () => {
    const config = await testConfig({ TRANSPORTER: undefined, REDIS_URL: undefined });
    broker = new ServiceBroker({ ...buildBrokerOptions({ ...config, nodeId: "retry-policy" }), logger: false });
    const slow = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    broker.createService({
      name: "probe",
      actions: {
        async write() {
          runs.write += 1;
          await slow(300);
          return "written";
        },
        read: {
          idempotent: true,
          async handler() {
            runs.read += 1;
            await slow(300);
            return "read";
          },
        },
        unreached() {
          runs.unreached += 1;
          // What the transporter answers when a request found no node to take it.
          throw new Errors.MoleculerRetryableError("no responders", 503, "NO_RESPONDERS");
        },
      },
    });
    await broker.start();
  });

  afterAll(() => broker.stop());

  it("retries a call that never reached a handler", async () => {
    await expect(broker.call("probe.unreached")).rejects.toThrow("no responders");
    expect(runs.unreached).toBe(1 + (broker.options.retryPolicy?.retries ?? 0));
    expect(runs.unreached).toBeGreaterThan(1);
  });

  it.each([
    ["a write", "probe.write", "write"],
    ["an idempotent read", "probe.read", "read"],
  ] as const)("runs %s that timed out once, not again", async (_what, action, counter) => {
    await expect(broker.call(action, {}, { timeout: 50 })).rejects.toMatchObject({ name: "RequestTimeoutError" });
    // Past the longest retry delay: a retry would have started by now.
    await new Promise((resolve) => setTimeout(resolve, (broker.options.retryPolicy?.maxDelay ?? 1000) + 400));
    expect(runs[counter]).toBe(1);
  });
});
