/**
 * Global roles (built-in issuer): admins grant and remove them, and a user
 * who creates a channel becomes a creator. Added roles arrive with the
 * user's next token; a removed one ends their sessions at once.
 */
import type { Role } from "../../../lib/auth/auth-user";
import { usesExternalIssuer } from "../../../lib/auth/issuer";
import { requireRole } from "../../../lib/auth/ownership";
import { getConfig } from "../../../lib/config";
import type { ActionContext } from "../../../lib/contracts";
import { ForbiddenError, NotFoundError, ValidationError } from "../../../lib/errors";
import { durableHandler } from "../../../mixins/durable-events";
import { changeRoles } from "./accounts";
import type { IdentityThis } from "./identity.context";
import type { UserRoles, VersionedUserRoles } from "./identity.contract";
import { announceRoles } from "./roles-changed";
import { revokeSessions } from "./session-revocation";

/**
 * Global roles of other users, for decisions about a target (chat) and badges; unknown ids are left out. Each
 * answer carries its version, so a cache keeps a user.roles.changed it already holds when this answer is older.
 */
export async function userRoles(
  svc: IdentityThis,
  ctx: ActionContext<"identity.userRoles">,
): Promise<{ items: VersionedUserRoles[] }> {
  const accounts = await svc.stores.accounts.findByIds([...new Set(ctx.params.userIds)]);
  return { items: accounts.map((a) => ({ userId: a.id, roles: a.roles, version: a.rolesVersion })) };
}

export async function roles(svc: IdentityThis, ctx: ActionContext<"identity.roles">): Promise<UserRoles> {
  const account = await svc.stores.accounts.findById(ctx.params.userId);
  return { userId: ctx.params.userId, roles: account?.roles ?? [] };
}

const withRole = (role: Role) => (roles: Role[]) => (roles.includes(role) ? roles : [...roles, role]);

async function change(
  svc: IdentityThis,
  ctx: ActionContext<"identity.addRole" | "identity.removeRole">,
  add: boolean,
): Promise<{ userId: string; roles: Role[] }> {
  const admin = requireRole(ctx, "admin");
  if (usesExternalIssuer(getConfig())) throw new ForbiddenError("Roles are managed in the external identity provider");
  if (!add && ctx.params.userId === admin.id && ctx.params.role === "admin") {
    throw new ValidationError("An admin cannot remove their own admin role", [
      { field: "role", message: "own admin role" },
    ]);
  }
  const role = ctx.params.role;
  const result = await changeRoles(svc.stores.accounts, ctx.params.userId, (roles) =>
    add ? withRole(role)(roles) : roles.filter((r) => r !== role),
  );
  if (!result) throw new NotFoundError("User", ctx.params.userId);
  const { account, changed } = result;
  if (!changed) return { userId: account.id, roles: account.roles };
  announceRoles(svc, account);
  if (!add) {
    // A removed role must stop working now, not when the access token expires.
    const ids = await svc.sessionManager.revokeAllOfUser(account.id, `role ${ctx.params.role} removed`);
    await revokeSessions(svc, ids, `role ${ctx.params.role} removed`);
  }
  return { userId: account.id, roles: account.roles };
}

export const addRole = (svc: IdentityThis, ctx: ActionContext<"identity.addRole">) => change(svc, ctx, true);
export const removeRole = (svc: IdentityThis, ctx: ActionContext<"identity.removeRole">) => change(svc, ctx, false);

/** Internal: adds a role without an admin check (the platform's own grants, test setup). */
export async function grantRole(
  svc: IdentityThis,
  ctx: ActionContext<"identity.grantRole">,
): Promise<{ roles: Role[] }> {
  const result = await changeRoles(svc.stores.accounts, ctx.params.userId, withRole(ctx.params.role));
  if (result?.changed) announceRoles(svc, result.account);
  return { roles: result?.account.roles ?? [] };
}

/** Durable consumers: a user who creates a channel becomes a creator (their next token carries it). */
export const roleConsumers = {
  ...durableHandler("channel.created", {
    group: "identity",
    async handler(this: IdentityThis, envelope) {
      const result = await changeRoles(this.stores.accounts, envelope.payload.ownerId, withRole("creator"));
      if (result?.changed) announceRoles(this, result.account);
    },
  }),
};
