/**
 * Unknown query parameters are refused (400), as a typo in a filter
 * (`?catgory=fps`) would otherwise silently answer the unfiltered list. What
 * a route accepts is its path parameters plus the fields of its action's
 * `params` (the same list the OpenAPI document publishes).
 */
import { ValidationError } from "../../../lib/errors";
import type { ArenaRequest } from "./api.context";
import type { AliasDefinition } from "./route-aliases";

/** What moleculer-web attaches once routed: the parsed query and the called action's schema. */
export interface RoutedRequest {
  query?: Record<string, unknown>;
  $action?: { params?: Record<string, unknown> };
}

export function unknownQueryParams(
  query: Record<string, unknown> | undefined,
  pathParams: readonly string[],
  params: Record<string, unknown> | undefined,
): string[] {
  const names = Object.keys(query ?? {});
  if (names.length === 0) return [];
  // A `$$root` schema validates the whole params value, not named fields: nothing to compare against.
  if (params?.$$root === true) return [];
  return names.filter(
    (name) => !pathParams.includes(name) && (name.startsWith("$$") || !Object.hasOwn(params ?? {}, name)),
  );
}

/** Throws a 400 naming each query parameter the route does not declare. */
export function rejectUnknownQuery(
  req: ArenaRequest & RoutedRequest,
  alias: AliasDefinition & { keys?: Array<{ name: unknown }> },
): void {
  const spec = alias.spec;
  // Signed media: players add their own parameters (LL-HLS `_HLS_msn`, cache busters) to URLs we signed.
  if (spec.rateLimitBucket === "media") return;
  const pathParams = (alias.keys ?? []).map((k) => String(k.name));
  // A stream route's action params are the body: its query can only hold path parameters.
  const params = spec.stream ? {} : req.$action?.params;
  const unknown = unknownQueryParams(req.query, pathParams, params);
  if (unknown.length === 0) return;
  throw new ValidationError(
    `Unknown query parameter${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}`,
    unknown.map((field) => ({ field, message: "not a parameter of this route" })),
  );
}
