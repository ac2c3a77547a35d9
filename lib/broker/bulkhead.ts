import {
  Errors,
  type ActionSchema,
  type Context,
  type Middleware,
  type ServiceBroker,
  type ServiceEvent,
} from "moleculer";

/**
 * Moleculer's built-in bulkhead takes a slot, calls the next handler and
 * releases the slot in `.then/.catch`: a handler that throws synchronously
 * (fastest-validator overflowing its stack on a 6000-level body did) never
 * gives its slot back, and after `concurrency` such calls every call to that
 * action queues until it times out, for every user, until a restart. This one
 * releases in `finally` around a guarded call, so no kind of failure can keep
 * a slot: a synchronous throw, a rejection, or a handler still running after
 * its caller's deadline (the caller has been answered with a timeout; holding
 * the slot longer would only starve the calls that can still succeed).
 * A queued call whose deadline passed while it waited is dropped, not run.
 *
 * It replaces the built-in (broker option `bulkhead.enabled: false`) and is
 * registered as a user middleware, which Moleculer places inside its own
 * ActionHook/Validator/Cacher layers: calls that fail validation or hit the
 * cache never take a slot.
 */
export interface BulkheadOptions {
  concurrency: number;
  maxQueueSize: number;
}

export interface BulkheadLoad {
  inFlight: number;
  queued: number;
}

interface Waiting {
  ctx: Context;
  deadline: number;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

interface Slots extends BulkheadLoad {
  queue: Waiting[];
}

type Handler = (ctx: Context) => unknown;

const LOADS = new WeakMap<ServiceBroker, Map<string, Slots>>();

/** Slots held and calls waiting for one action (or event handler) on this broker; tests and probes read it. */
export function bulkheadLoad(broker: ServiceBroker, name: string): BulkheadLoad {
  const slots = LOADS.get(broker)?.get(name);
  return { inFlight: slots?.inFlight ?? 0, queued: slots?.queue.length ?? 0 };
}

/** Milliseconds this call may still run before its caller stops waiting; Infinity without a timeout. */
function remainingMs(ctx: Context): number {
  const timeout = ctx.options?.timeout;
  if (!timeout || timeout <= 0) return Infinity;
  const started = (ctx as Context & { startHrTime?: [number, number] }).startHrTime;
  if (!started) return timeout;
  const [s, ns] = process.hrtime(started);
  return timeout - (s * 1000 + ns / 1e6);
}

function callGuarded(handler: Handler, ctx: Context): Promise<unknown> {
  try {
    return Promise.resolve(handler(ctx));
  } catch (err) {
    return Promise.reject(err);
  }
}

export function SafeBulkheadMiddleware(opts: BulkheadOptions): Middleware {
  /** `name` keys bulkheadLoad(): the action name, or "<service>:<event>" for an event handler. */
  function wrap(
    broker: ServiceBroker,
    handler: Handler,
    name: string,
    kind: "action" | "event",
    service: string,
    label: string,
  ): Handler {
    const slots: Slots = { inFlight: 0, queued: 0, queue: [] };
    let byName = LOADS.get(broker);
    if (!byName) LOADS.set(broker, (byName = new Map()));
    byName.set(name, slots);
    const labels = kind === "action" ? { action: label, service } : { event: label, service };
    // The gauges Moleculer's own bulkhead reports (it still registers them while disabled): dashboards keep working.
    const [inFlightMetric, queueMetric] =
      kind === "action"
        ? ["moleculer.request.bulkhead.inflight", "moleculer.request.bulkhead.queue.size"]
        : ["moleculer.event.bulkhead.inflight", "moleculer.event.bulkhead.queue.size"];
    // Each gauge is set only when its value moved since it was last set: a call that never queues
    // (nearly every call) would otherwise set an unchanged queue gauge twice, each set hashing the labels.
    let reportedInFlight: number | undefined;
    let reportedQueue: number | undefined;
    const report = () => {
      slots.queued = slots.queue.length;
      if (!broker.isMetricsEnabled()) return;
      if (slots.inFlight !== reportedInFlight) {
        reportedInFlight = slots.inFlight;
        broker.metrics.set(inFlightMetric, slots.inFlight, labels);
      }
      if (slots.queue.length !== reportedQueue) {
        reportedQueue = slots.queue.length;
        broker.metrics.set(queueMetric, slots.queue.length, labels);
      }
    };

    const next = () => {
      while (slots.inFlight < opts.concurrency && slots.queue.length > 0) {
        const item = slots.queue.shift() as Waiting;
        if (Date.now() >= item.deadline) {
          item.reject(new Errors.RequestTimeoutError({ action: label, nodeID: broker.nodeID }));
          continue;
        }
        run(item.ctx).then(item.resolve, item.reject);
      }
      report();
    };

    const run = (ctx: Context): Promise<unknown> => {
      slots.inFlight++;
      report();
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        if (timer) clearTimeout(timer);
        slots.inFlight--;
        next();
      };
      const remaining = remainingMs(ctx);
      const timer = Number.isFinite(remaining) ? setTimeout(release, Math.max(remaining, 0)) : undefined;
      timer?.unref();
      return callGuarded(handler, ctx).finally(release);
    };

    return (ctx: Context) => {
      if (slots.inFlight < opts.concurrency) return run(ctx);
      if (slots.queue.length >= opts.maxQueueSize) {
        return Promise.reject(
          kind === "action"
            ? new Errors.QueueIsFullError({ action: label, nodeID: ctx.nodeID })
            : new Errors.QueueIsFullError({ event: label, service, nodeID: ctx.nodeID }),
        );
      }
      return new Promise((resolve, reject) => {
        slots.queue.push({ ctx, deadline: Date.now() + remainingMs(ctx), resolve, reject });
        report();
      });
    };
  }

  // Moleculer calls these hooks with the broker as `this` (internal $node actions are wrapped before `created`).
  return {
    localAction(this: ServiceBroker, handler: Handler, action: ActionSchema) {
      const name = action.name ?? "";
      return wrap(this, handler, name, "action", action.service?.fullName ?? "", name);
    },
    localEvent(this: ServiceBroker, handler: Handler, event: ServiceEvent & { service?: { fullName: string } }) {
      const service = event.service?.fullName ?? "";
      return wrap(this, handler, `${service}:${event.name ?? ""}`, "event", service, event.name ?? "");
    },
  };
}
