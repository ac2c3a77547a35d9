import type { Context } from "moleculer";
import { ForbiddenError, UnauthorizedError } from "../errors";
import type { ArenaMeta, AuthUser, Role } from "./auth-user";

/**
 * Ownership is checked in the service that owns the resource, not only in the
 * gateway, so these helpers take the Moleculer context any caller produces.
 */
export function currentUser(ctx: Context<unknown, ArenaMeta>): AuthUser | undefined {
  return ctx.meta.user;
}

export function requireUser(ctx: Context<unknown, ArenaMeta>): AuthUser {
  const user = ctx.meta.user;
  if (!user) throw new UnauthorizedError();
  return user;
}

export function hasRole(user: AuthUser | undefined, role: Role): boolean {
  return !!user && (user.roles.includes(role) || user.roles.includes("admin"));
}

export function requireRole(ctx: Context<unknown, ArenaMeta>, role: Role): AuthUser {
  const user = requireUser(ctx);
  if (!hasRole(user, role)) throw new ForbiddenError(`Requires the ${role} role`);
  return user;
}

export function isAdmin(user: AuthUser | undefined): boolean {
  return !!user && user.roles.includes("admin");
}

/** Passes for the owner and for admins; anyone else gets 403. */
export function assertOwner(ctx: Context<unknown, ArenaMeta>, ownerId: string, what = "resource"): AuthUser {
  const user = requireUser(ctx);
  if (user.id !== ownerId && !isAdmin(user)) throw new ForbiddenError(`Only the owner may change this ${what}`);
  return user;
}
