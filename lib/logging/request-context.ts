/**
 * The request a piece of work belongs to, carried through async calls
 * (AsyncLocalStorage) so every log line written while handling it names its
 * request id and trace id, whichever node writes it: the gateway opens the
 * context for each HTTP request, the middleware below for each action and
 * event a node handles (the ids travel in the Moleculer context).
 */
import { AsyncLocalStorage } from "node:async_hooks";
import type { Context, Middleware } from "moleculer";
import { spanIdOf, traceIdOf } from "../tracing/trace-ids";

export interface RequestContext {
  requestId: string;
  traceId: string;
  spanId?: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function runWithRequestContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

export function currentRequestContext(): RequestContext | undefined {
  return storage.getStore();
}

/** Request id and trace id of a Moleculer context (its requestID is the trace id Moleculer propagates). */
export function requestContextOf(ctx: Context): RequestContext | undefined {
  const traceSource = ctx.requestID ?? undefined;
  if (!traceSource) return undefined;
  const meta = ctx.meta as { requestId?: unknown } | undefined;
  const requestId = typeof meta?.requestId === "string" ? meta.requestId : traceSource;
  return { requestId, traceId: traceIdOf(traceSource), spanId: ctx.id ? spanIdOf(ctx.id) : undefined };
}

function wrap<H extends (ctx: Context) => unknown>(handler: H): H {
  return ((ctx: Context) => {
    const context = requestContextOf(ctx);
    return context ? storage.run(context, () => handler(ctx)) : handler(ctx);
  }) as H;
}

export const RequestContextMiddleware: Middleware = {
  localAction: wrap,
  localEvent: wrap,
};
