/**
 * The request a piece of work belongs to, carried through async calls
 * (AsyncLocalStorage) so every log line written while handling it names its
 * request id and trace id, whichever node writes it: the gateway opens the
 * context for each HTTP request, the middleware below for each action and
 * event a node handles (the ids travel in the Moleculer context).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { ActionHandler, Context, Middleware, ServiceBroker } from "moleculer";
import { spanIdOf, traceIdOf } from "../tracing/trace-ids";

export interface RequestContext {
  requestId: string;
  traceId: string;
  spanId?: string;
  /** The client's address as the gateway resolved it (X-Forwarded-For from trusted proxies only). */
  clientIp?: string;
}

function clientIpOf(meta: { clientIp?: unknown } | undefined): { clientIp?: string } {
  return typeof meta?.clientIp === "string" ? { clientIp: meta.clientIp } : {};
}

/**
 * What the store holds: the context itself, or how to build it. Every action
 * call opens a scope, but few of them write a log line: the trace and span
 * ids (hashing, hex mapping) are worked out on the first read, not per call.
 */
class LazyRequestContext {
  private built: RequestContext | undefined;
  constructor(private readonly build: () => RequestContext | undefined) {}
  get(): RequestContext | undefined {
    return (this.built ??= this.build());
  }
}

const storage = new AsyncLocalStorage<RequestContext | LazyRequestContext>();

export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** Like runWithRequestContext, with the context built only if something reads it. */
export function runWithLazyRequestContext<T>(build: () => RequestContext | undefined, fn: () => T): T {
  return storage.run(new LazyRequestContext(build), fn);
}

export function currentRequestContext(): RequestContext | undefined {
  const stored = storage.getStore();
  return stored instanceof LazyRequestContext ? stored.get() : stored;
}

/** Request id and trace id of a Moleculer context (its requestID is the trace id Moleculer propagates). */
export function requestContextOf(ctx: Context): RequestContext | undefined {
  const traceSource = ctx.requestID ?? undefined;
  if (!traceSource) return undefined;
  const meta = ctx.meta as { requestId?: unknown; clientIp?: unknown } | undefined;
  const requestId = typeof meta?.requestId === "string" ? meta.requestId : traceSource;
  return {
    requestId,
    traceId: traceIdOf(traceSource),
    spanId: ctx.id ? spanIdOf(ctx.id) : undefined,
    ...clientIpOf(meta),
  };
}

function wrap<H extends (ctx: Context) => unknown>(handler: H): H {
  return ((ctx: Context) =>
    ctx.requestID
      ? runWithLazyRequestContext(
          () => requestContextOf(ctx),
          () => handler(ctx),
        )
      : handler(ctx)) as H;
}

interface TransitPacket {
  payload?: { requestID?: unknown; id?: unknown; meta?: { requestId?: unknown; clientIp?: unknown } };
}
type TransitHandler = (cmd: string, packet: TransitPacket) => unknown;

function contextOfPacket(broker: ServiceBroker | undefined, packet: TransitPacket): RequestContext | undefined {
  const payload = packet?.payload;
  if (!payload) return undefined;
  if (typeof payload.requestID === "string") {
    const requestId = typeof payload.meta?.requestId === "string" ? payload.meta.requestId : payload.requestID;
    const spanId = typeof payload.id === "string" ? spanIdOf(payload.id) : undefined;
    return { requestId, traceId: traceIdOf(payload.requestID), spanId, ...clientIpOf(payload.meta) };
  }
  // A response names only the call it answers: the caller still holds that call's context.
  const pending = typeof payload.id === "string" ? broker?.transit?.pendingRequests.get(payload.id) : undefined;
  return pending ? requestContextOf(pending.ctx) : undefined;
}

/**
 * Incoming requests, events and responses, before or outside a handler's
 * context: Moleculer's own debug lines about them ("<= Request 'x'
 * received", "<= Response 'x' is received") name the request too.
 */
export function RequestContextMiddleware(): Middleware {
  let broker: ServiceBroker | undefined;
  const wrapTransit =
    (next: TransitHandler): TransitHandler =>
    (cmd, packet) => {
      const payload = packet?.payload;
      // Only packets that can name a request get a scope; its ids are worked out if a line is written.
      return payload && (typeof payload.requestID === "string" || typeof payload.id === "string")
        ? storage.run(new LazyRequestContext(() => contextOfPacket(broker, packet)), () => next(cmd, packet))
        : next(cmd, packet);
    };
  return {
    created(b: ServiceBroker) {
      broker = b;
    },
    localAction: wrap,
    localEvent: wrap,
    // Moleculer's Middleware type lists action-style hooks only; transitMessageHandler gets (cmd, packet).
    transitMessageHandler: wrapTransit as unknown as (handler: ActionHandler) => ActionHandler,
  };
}
