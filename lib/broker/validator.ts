import { Validators } from "moleculer";

interface ValidationIssue {
  type: string;
  field?: string;
  message: string;
}
type Check = ((params: unknown, opts?: unknown) => true | ValidationIssue[] | Promise<true | ValidationIssue[]>) & {
  async?: boolean;
};

/**
 * fastest-validator, except that a checker that throws (a 6000-level nested
 * value overflowed its stack while formatting the error) reports a validation
 * failure instead. Moleculer calls the checker synchronously inside its
 * middleware chain, so a throw there escaped every `.then/.catch` above it:
 * the bulkhead never gave its slot back, the context tracker and metrics
 * never closed the call. Now the caller gets a 400 and the chain sees an
 * ordinary rejection.
 */
export class GuardedValidator extends Validators.Fastest {
  override compile(schema: Record<string, unknown>): Check {
    const check = super.compile(schema) as Check;
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
}
