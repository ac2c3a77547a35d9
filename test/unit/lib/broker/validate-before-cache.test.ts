/**
 * A cached action validates its params before the cache lookup (Moleculer's
 * own order answered a hit unvalidated), exactly once per call, and builds
 * the key from the converted params.
 */
import { Cachers, Errors, ServiceBroker } from "moleculer";
import { validateBeforeCache } from "../../../../lib/broker/validate-before-cache";
import { GuardedValidator } from "../../../../lib/broker/validator";

describe("validateBeforeCache", () => {
  const calls = { list: 0, plain: 0, checks: 0 };
  let broker: ServiceBroker;

  beforeAll(async () => {
    const validator = new GuardedValidator();
    const compile = validator.compile.bind(validator);
    // Count the checks run, to prove each call is validated once (not by both the cacher and the validator).
    validator.compile = (schema) => {
      const check = compile(schema);
      const counted = (params: unknown, opts?: unknown) => {
        calls.checks += 1;
        return check(params, opts);
      };
      return Object.assign(counted, { async: check.async });
    };
    broker = new ServiceBroker({
      logger: false,
      cacher: validateBeforeCache(new Cachers.Memory({ ttl: 30 })),
      validator,
    });
    broker.createService({
      name: "probe",
      actions: {
        list: {
          // Like channels.list: the key reads params that may be absent.
          cache: { keys: ["category", "live"] },
          params: { category: "string", live: { type: "boolean", convert: true, optional: true } },
          handler(ctx) {
            calls.list += 1;
            return { category: ctx.params.category, live: ctx.params.live ?? null };
          },
        },
        plain: {
          params: { n: "number" },
          handler(ctx) {
            calls.plain += 1;
            return ctx.params.n;
          },
        },
      },
    });
    await broker.start();
  });

  afterAll(() => broker.stop());
  beforeEach(() => broker.cacher?.clean());

  it("refuses invalid params even when their cache key has an answer", async () => {
    await expect(broker.call("probe.list", { category: "games" })).resolves.toEqual({ category: "games", live: null });
    // Before: this key ("games|undefined") was the cached one above, and the hit answered 200.
    await expect(broker.call("probe.list", { category: "games", live: "undefined" })).rejects.toBeInstanceOf(
      Errors.ValidationError,
    );
    await expect(broker.call("probe.list", { category: 42 })).rejects.toBeInstanceOf(Errors.ValidationError);
    expect(calls.list).toBe(1);
  });

  it("still answers hits from the cache", async () => {
    calls.list = 0;
    await expect(broker.call("probe.list", { category: "games", live: "true" })).resolves.toEqual({
      category: "games",
      live: true,
    });
    await expect(broker.call("probe.list", { category: "games", live: true })).resolves.toEqual({
      category: "games",
      live: true,
    });
    expect(calls.list).toBe(1);
  });

  it("checks each call once, cached or not", async () => {
    calls.checks = 0;
    await broker.call("probe.list", { category: "once" }); // miss
    await broker.call("probe.list", { category: "once" }); // hit
    await broker.call("probe.plain", { n: 1 }); // not cached: the validator's own pass
    expect(calls.checks).toBe(3);
    await expect(broker.call("probe.plain", { n: "x" })).rejects.toBeInstanceOf(Errors.ValidationError);
    expect(calls.plain).toBe(1);
  });
});
