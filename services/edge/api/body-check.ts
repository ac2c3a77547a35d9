/**
 * Unknown JSON body fields are refused (400), the same rule as unknown query
 * parameters: a misspelt optional field (`{"visibilty":"private"}`) would
 * otherwise be dropped by the validator's `$$strict: "remove"` and the call
 * would succeed doing something else than asked. What a body may hold is its
 * action's declared `params` (path parameters too: moleculer-web lets the path
 * win, so naming one in the body changes nothing). Top-level fields only;
 * nested shapes are the validator's.
 */
import { ValidationError } from "../../../lib/errors";
import type { ArenaRequest } from "./api.context";
import { unknownQueryParams, type RoutedRequest } from "./query-check";
import type { AliasDefinition } from "./route-aliases";

/** Throws a 400 naming each top-level body field the route does not declare. */
export function rejectUnknownBody(
  req: ArenaRequest & RoutedRequest & { body?: unknown },
  alias: AliasDefinition & { keys?: Array<{ name: unknown }> },
): void {
  // A stream route's body is raw bytes handed to the action, never parsed here.
  if (alias.spec.stream) return;
  const body = req.body;
  // Arrays and scalars are not merged into params by moleculer-web: the validator refuses what they lack.
  if (!body || typeof body !== "object" || Array.isArray(body)) return;
  const pathParams = (alias.keys ?? []).map((k) => String(k.name));
  const unknown = unknownQueryParams(body as Record<string, unknown>, pathParams, req.$action?.params);
  if (unknown.length === 0) return;
  throw new ValidationError(
    `Unknown body field${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")}`,
    unknown.map((field) => ({ field, message: "not a field of this route" })),
  );
}
