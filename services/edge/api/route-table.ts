import type { Role } from "../../../lib/auth/auth-user";
import { API_BASE_PATH } from "../../../lib/http/response-meta";

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
   * declared against real ones.
   */
  status?: 201;
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
   * Media types of a non-JSON success body (feeds, images), for the OpenAPI
   * document. The action sets the actual type with ctx.meta.$responseType.
   */
  responseTypes?: string[];
}

export interface RouteTable {
  /** Default "/api/v1". */
  basePath?: string;
  routes: RouteSpec[];
}

export const DEFAULT_BASE_PATH = API_BASE_PATH;
