/**
 * Gives every field of every action's `params` its own rule object.
 *
 * Why: params files reuse one rule for several fields (`{ scoreA: SCORE,
 * scoreB: SCORE }`). A node announces its actions to the others through
 * Moleculer's circular-safe JSON (utils.safetyObject), which drops every
 * object it has already seen, even one that is merely shared and not
 * circular: the other nodes, the API gateway among them, saw `scoreA` but not
 * `scoreB`, and the gateway's unknown-field checks answered 400 for a declared
 * field in cluster mode only. Runs before the service registers its actions.
 */
import type { Middleware, ServiceSchema } from "moleculer";

/** A copy in which no plain object or array appears twice; functions and other values are kept as they are. */
export function unshareRules(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unshareRules);
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype)
    return Object.fromEntries(Object.entries(value).map(([key, rule]) => [key, unshareRules(rule)]));
  return value;
}

export const UnsharedParamsMiddleware: Middleware = {
  serviceCreating(_service: unknown, schema: ServiceSchema): void {
    for (const action of Object.values(schema.actions ?? {})) {
      if (action && typeof action === "object" && action.params)
        action.params = unshareRules(action.params) as typeof action.params;
    }
  },
};
