import { Validators, type ActionHandler, type ActionSchema, type Context, type ServiceBroker } from "moleculer";
import { strictNulls, type ShorthandParser } from "./strict-nulls";
import { validatedInFront } from "./validate-before-cache";

interface ValidationIssue {
  type: string;
  field?: string;
  message: string;
}
type Check = ((params: unknown, opts?: unknown) => true | ValidationIssue[] | Promise<true | ValidationIssue[]>) & {
  async?: boolean;
};

/** Moleculer's fastest-validator wrapper passes its options on to fastest-validator; its typings declare none. */
const FastestWithOptions = Validators.Fastest as unknown as new (opts: {
  considerNullAsAValue: boolean;
}) => InstanceType<typeof Validators.Fastest>;

/**
 * fastest-validator, except that a checker that throws (a 6000-level nested
 * value overflowed its stack while formatting the error) reports a validation
 * failure instead. Moleculer calls the checker synchronously inside its
 * middleware chain, so a throw there escaped every `.then/.catch` above it:
 * the bulkhead never gave its slot back, the context tracker and metrics
 * never closed the call. Now the caller gets a 400 and the chain sees an
 * ordinary rejection.
 *
 * And null is refused wherever a rule does not say `nullable: true`
 * (./strict-nulls.ts): fastest-validator alone lets it through every optional field.
 */
export class GuardedValidator extends FastestWithOptions {
  constructor() {
    // With this option a rule marked `nullable: false` (strictNulls marks them) refuses null.
    super({ considerNullAsAValue: true });
  }

  override compile(schema: Record<string, unknown>): Check {
    const fastest = (this as unknown as { validator: { parseShortHand: ShorthandParser } }).validator;
    const check = super.compile(strictNulls(schema, (shorthand) => fastest.parseShortHand(shorthand))) as Check;
    const guarded: Check = (params, opts) => {
      try {
        return check(params, opts);
      } catch (err) {
        const message =
          err instanceof RangeError
            ? "Parameters are nested too deeply to validate"
            : "Parameters could not be validated";
        return [{ type: "invalid", message }];
      }
    };
    guarded.async = check.async;
    return guarded;
  }

  /** Moleculer's validating middleware, except for a call the cacher already validated (./validate-before-cache.ts). */
  override middleware(broker?: ServiceBroker): (handler: ActionHandler, action: ActionSchema) => unknown {
    const mw = (super.middleware as unknown as (b?: ServiceBroker) => ValidatorMiddleware).call(this, broker);
    const validating = mw.localAction;
    return {
      ...mw,
      localAction(handler: ActionHandler, action: ActionSchema): ActionHandler {
        const checked = validating(handler, action);
        if (checked === handler) return handler;
        return ((ctx: Context) => (validatedInFront.has(ctx) ? handler(ctx) : checked(ctx))) as ActionHandler;
      },
    } as unknown as (handler: ActionHandler, action: ActionSchema) => unknown;
  }
}

interface ValidatorMiddleware {
  name: string;
  localAction(handler: ActionHandler, action: ActionSchema): ActionHandler;
  localEvent?: unknown;
}
