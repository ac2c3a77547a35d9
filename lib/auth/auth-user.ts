/**
 * Who is calling, as the gateway (or realtime node) puts it in ctx.meta.user
 * after validating the JWT. Per-channel moderator rights are not a global
 * role: the channels service answers those.
 */
export const ROLES = ["viewer", "creator", "moderator", "editor", "organizer", "admin"] as const;
export type Role = (typeof ROLES)[number];

/**
 * Global roles that are granted (by an admin, or creator when a channel is
 * created): viewer is everyone's, moderator is per channel (channels service).
 */
export const GRANTABLE_ROLES = ["creator", "editor", "organizer", "admin"] as const satisfies readonly Role[];
export type GrantableRole = (typeof GRANTABLE_ROLES)[number];

export interface AuthUser {
  /** Arena user id (the token's `sub`, mapped for Keycloak subjects). */
  id: string;
  username: string;
  roles: Role[];
  /** Session the access token belongs to (built-in issuer), for revocation. */
  sessionId?: string;
}

/** What every action may find in ctx.meta. */
export interface ArenaMeta {
  user?: AuthUser;
  requestId?: string;
  clientIp?: string;
  /** The request's User-Agent (truncated): identity's new-device login notice. */
  userAgent?: string;
}
