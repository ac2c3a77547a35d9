/**
 * Which failed remote calls the retry policy may send to another node.
 *
 * A call that never reached a node (no responders, not connected, no node for
 * the service) is safe to retry, whatever it does. A call whose node died or
 * went silent while it was in flight (RequestRejectedError after a lost peer,
 * RequestTimeoutError) may have run already: it is retried only when running
 * it twice is harmless, that is when it is idempotent:
 *  - the action says so (`idempotent: true` in its schema; remote nodes
 *    publish it with the action), or
 *  - it is made directly by the service that marked its calls as idempotent
 *    (`ctx.meta.$idempotentCaller`, set by the REST gateway to its own name for
 *    GET and HEAD). Meta travels to every call below, so the mark only counts
 *    for calls whose caller is that very service, not the ones they make.
 * Anything else is answered as unavailable (503) and left to the client.
 *
 * A timeout is never retried, idempotent or not: Moleculer's Timeout
 * middleware wraps outside every user middleware, so the error it makes
 * never passes this guard, and the handler it gave up on may still be
 * running (a register retried after a slow password hash ran twice and
 * answered 409 for the account its first run had just created).
 */
import type { ActionHandler, Context, Middleware } from "moleculer";

const OUTCOME_UNKNOWN = new Set(["RequestRejectedError", "RequestTimeoutError"]);

export interface IdempotentCallsMeta {
  /** The service whose direct calls may be repeated without harm (the gateway, for a GET request). */
  $idempotentCaller?: string;
}

export function isIdempotentCall(ctx: Context): boolean {
  const declared = (ctx.action as { idempotent?: unknown } | undefined)?.idempotent;
  if (typeof declared === "boolean") return declared;
  const marked = (ctx.meta as IdempotentCallsMeta | undefined)?.$idempotentCaller;
  return typeof marked === "string" && marked === (ctx as Context & { caller?: string }).caller;
}

function guard(next: ActionHandler): ActionHandler {
  return (ctx: Context) =>
    Promise.resolve(next(ctx)).catch((err: Error & { retryable?: boolean }) => {
      if (OUTCOME_UNKNOWN.has(err?.name) && !isIdempotentCall(ctx)) err.retryable = false;
      throw err;
    });
}

/** The retry policy's check: retryable errors, minus timeouts (see above). */
export function isRetryableFailure(err: Error & { retryable?: boolean }): boolean {
  return err?.name !== "RequestTimeoutError" && err?.retryable === true;
}

/** Local calls too: a local handler that timed out keeps running, so a retry would run it twice at once. */
export const FailoverGuardMiddleware: Middleware = { localAction: guard, remoteAction: guard };
