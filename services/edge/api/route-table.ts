import type { Role } from "../../../lib/auth/auth-user";
import { API_BASE_PATH } from "../../../lib/http/response-meta";
import type { Schema } from "../../../lib/http/response-schema";
import type { ActionName, ResultOf } from "../../../lib/contracts/actions";

/**
 * The contract between the gateway and every service that wants HTTP routes.
 * A service folder exports one `RouteTable` from `<svc>.routes.ts`; the
 * gateway builds explicit moleculer-web aliases from it (nothing else is
 * reachable) and the OpenAPI document from it plus each action's `params`.
 */
export type HttpMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export interface RouteSpec {
  method: HttpMethod;
  /** Relative to the table's basePath, moleculer-web alias syntax: "/channels/:slug", "/*path" style wildcards allowed. */
  path: string;
  /** Action name, e.g. "channels.get". */
  action: string;
  /** "required" → 401 without a valid bearer token; "optional" → user set when a valid token is sent; "none" → token ignored. */
  auth: "required" | "optional" | "none";
  /** Any of these roles passes (admin always passes); others get 403. */
  roles?: Role[];
  /** One line for the OpenAPI document. */
  summary: string;
  /**
   * The success status when it is not 200: 201 for a route that creates a
   * resource (its action calls `markCreated`, which also sets Location). The
   * OpenAPI document declares it; test/integration/core/routes.test.ts checks
   * declared against real ones. 202 for a route whose action answers
   * "accepted" without telling the outcome (`$statusCode = 202`: mail sent or not).
   */
  status?: 201 | 202;
  /**
   * Raw request body handed to the action as a stream (uploads): no body
   * parser runs, ctx.meta carries `$requestHeaders`-style content-type/length
   * (see docs/architecture.md, "Adding HTTP routes").
   */
  stream?: boolean;
  /**
   * Which rate-limit budget the route draws on. "media" (signed HLS/VOD
   * files) has its own, larger per-IP budget: one player fetches a segment
   * every few seconds, which would otherwise exhaust the API budget of
   * everyone behind the same NAT. "auth" (password checks: login, register,
   * password change) counts against the API budget and also a much smaller
   * per-IP one: each call costs a slow hash, and account lockout alone does not
   * slow down one IP trying a few passwords on many accounts. "search" (full
   * text search, autocomplete) also counts against the API budget and against
   * a search budget per IP and per user: each call costs an index scan, and an
   * autocomplete box calls on every keystroke. Default "api".
   */
  rateLimitBucket?: "api" | "media" | "auth" | "search";
  /**
   * The route honours a single `Range: bytes=` request header (media files: a
   * player seeking in an MP4, HLS players fetching part of a segment): the
   * OpenAPI document declares the `Range` parameter, `206 Partial Content`
   * with Content-Range, and `416` with `Content-Range: bytes *\/size`
   * (services/media/delivery/byte-range.ts).
   */
  byteRanges?: boolean;
  /**
   * Media types of a non-JSON success body (feeds, images), for the OpenAPI
   * document. The action sets the actual type with ctx.meta.$responseType.
   */
  responseTypes?: string[];
  /**
   * The JSON success body (lib/http/response-schema.ts builders). Tables
   * declared with `routeTable()` must give one, typed by the action's result
   * in the ActionMap; the OpenAPI document emits it and
   * each service's test/integration/<context>/<name>/<name>.responses.test.ts checks real bodies
   * against it.
   */
  response?: ResponseSchemaSpec;
}

/** A response schema with its type erased (what the gateway and the document need). */
export type ResponseSchemaSpec = Pick<Schema<unknown>, "json" | "defs" | "textTypes">;

/**
 * A route of action N: a JSON route declares `response` with the type of N's
 * result; a non-JSON one (feeds, images) declares `responseTypes` instead.
 */
export type TypedRoute<N extends ActionName> = Omit<RouteSpec, "action" | "response" | "responseTypes"> & {
  action: N;
} & ({ response: Schema<ResultOf<N>>; responseTypes?: never } | { responseTypes: string[]; response?: never });

/** A route whose response schema is checked against its action's result type (a union over every action). */
export type TypedRouteSpec = { [N in ActionName]: TypedRoute<N> }[ActionName];

/**
 * Declares a route table whose every route has a response schema matching
 * its action's result type: a schema that drifts from the action's contract
 * fails the typecheck.
 */
export function routeTable(table: {
  basePath?: string;
  routes: TypedRouteSpec[];
  schemas?: ResponseSchemaSpec[];
}): RouteTable {
  return table;
}

/** One checked route, for tables built by a helper function (the action name is inferred from `action`). */
export function typedRoute<N extends ActionName>(spec: TypedRoute<N>): RouteSpec {
  return spec;
}

export interface RouteTable {
  /** Default "/api/v1". */
  basePath?: string;
  routes: RouteSpec[];
  /**
   * Named schemas the table's requests use besides its responses: a string
   * enum of a request field (`s.named("ReportReason", s.enum(REASONS))`) is
   * published in components/schemas, request fields with exactly its values
   * reference it, and the web client gets the values as a constant
   * (web/src/api/generated/enums.ts) instead of a copy that can drift.
   */
  schemas?: ResponseSchemaSpec[];
}

export const DEFAULT_BASE_PATH = API_BASE_PATH;
