import { Errors, type ActionHandler, type ActionSchema, type Cachers, type Context } from "moleculer";

/**
 * Moleculer wraps an action's validator INSIDE its cacher (the internal
 * middleware order is ActionHook, Validator, Bulkhead, Cacher, ...: the last
 * one is the outermost), so a cache hit answered without validating: a request
 * whose cache key matched a cached answer got that answer even when its params
 * were invalid (`GET /channels?category=games&live=undefined` hit the entry of
 * `?category=games`, whose key reads `live` as "undefined" too). Here the
 * cacher validates before it looks anything up, and the key is built from the
 * validated (converted) params; the validator's own pass then skips the
 * context (GuardedValidator), so params are checked once per call.
 */

/** Contexts already validated in front of the cache. */
export const validatedInFront = new WeakSet<object>();

interface Issue {
  type: string;
  field?: string;
  message: string;
  [extra: string]: unknown;
}
type Check = ((params: unknown, opts?: unknown) => true | Issue[] | Promise<true | Issue[]>) & { async?: boolean };
type LocalAction = (handler: ActionHandler, action: ActionSchema) => ActionHandler;
interface CacherMiddleware {
  name?: string;
  localAction: LocalAction;
}
type WithMiddleware = Cachers.Base & { middleware(): CacherMiddleware; broker?: Context["broker"] };

/** Answers the check's verdict: the call goes on, or a ValidationError (422 → the gateway's 400). */
export function afterCheck(ctx: Context, verdict: true | Issue[], next: () => unknown): unknown {
  if (verdict === true) return next();
  const issues = verdict.map((issue) => ({ ...issue, nodeID: ctx.nodeID, action: ctx.action?.name }));
  return Promise.reject(new Errors.ValidationError("Parameters validation error!", "VALIDATION_ERROR", issues));
}

export function validateBeforeCache<C extends Cachers.Base>(cacher: C): C {
  const target = cacher as unknown as WithMiddleware;
  const original = target.middleware.bind(target);
  target.middleware = () => {
    const mw = original();
    const cacherLocal = mw.localAction;
    return {
      ...mw,
      localAction(handler: ActionHandler, action: ActionSchema): ActionHandler {
        const cached = cacherLocal(handler, action);
        const validator = target.broker?.validator;
        // Not cached (the cacher returned the handler itself) or nothing to check: the validator's own pass runs.
        if (cached === handler || !validator || !action.params || typeof action.params !== "object") return cached;
        const check = validator.compile(action.params) as Check;
        return function validateThenLookUp(ctx: Context) {
          const verdict = check(ctx.params ?? {}, { meta: ctx });
          const next = () => {
            validatedInFront.add(ctx);
            return cached(ctx);
          };
          if (check.async) return (verdict as Promise<true | Issue[]>).then((v) => afterCheck(ctx, v, next));
          return afterCheck(ctx, verdict as true | Issue[], next);
        } as ActionHandler;
      },
    };
  };
  return cacher;
}
