import type { JWTPayload } from "jose";
import { UnauthorizedError } from "../errors";
import { ROLES, type AuthUser, type Role } from "./auth-user";

/**
 * Turns validated token claims into an AuthUser. Two token shapes exist:
 * the built-in issuer puts Arena roles in a top-level `roles` claim;
 * Keycloak puts realm roles in `realm_access.roles` and client roles in
 * `resource_access[<client>].roles`, mixed with roles Arena knows nothing of
 * (offline_access, uma_authorization...), which are dropped.
 */
export type ClaimsFlavor = "builtin" | "keycloak";

export interface ArenaClaims extends JWTPayload {
  preferred_username?: string;
  roles?: unknown;
  sid?: string;
  realm_access?: { roles?: unknown };
  resource_access?: Record<string, { roles?: unknown }>;
  typ?: string;
}

const KNOWN_ROLES = new Set<string>(ROLES);

/** Keeps only Arena role names; everyone is at least a viewer. */
export function toArenaRoles(raw: unknown[]): Role[] {
  const roles = new Set<Role>(["viewer"]);
  for (const r of raw) if (typeof r === "string" && KNOWN_ROLES.has(r)) roles.add(r as Role);
  return ROLES.filter((r) => roles.has(r));
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function claimsToUser(claims: ArenaClaims, flavor: ClaimsFlavor, audience: string): AuthUser {
  if (typeof claims.sub !== "string" || claims.sub.length === 0)
    throw new UnauthorizedError("Invalid token: no subject");
  const username =
    typeof claims.preferred_username === "string" && claims.preferred_username ? claims.preferred_username : claims.sub;
  const rawRoles =
    flavor === "builtin"
      ? asArray(claims.roles)
      : [...asArray(claims.realm_access?.roles), ...asArray(claims.resource_access?.[audience]?.roles)];
  const user: AuthUser = { id: claims.sub, username, roles: toArenaRoles(rawRoles) };
  if (typeof claims.sid === "string" && claims.sid) user.sessionId = claims.sid;
  return user;
}

/**
 * Keycloak signs ID tokens with the same realm key as access tokens; an ID
 * token (typ "ID") must not work as a bearer token. Access tokens say "Bearer".
 */
export function assertAccessTokenType(claims: ArenaClaims, flavor: ClaimsFlavor): void {
  if (flavor === "keycloak" && claims.typ !== undefined && claims.typ !== "Bearer") {
    throw new UnauthorizedError("Invalid token: not an access token");
  }
}
