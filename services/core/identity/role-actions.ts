import type { Context, ServiceActionsSchema } from "moleculer";
import type { ArenaMeta, Role } from "../../../lib/auth/auth-user";
import { requireRole } from "../../../lib/auth/ownership";
import { getConfig } from "../../../lib/config";
import { ForbiddenError, NotFoundError, ValidationError } from "../../../lib/errors";
import { usesExternalIssuer } from "../../../lib/auth/issuer";
import { changeRoles } from "./accounts";
import type { IdentityThis } from "./identity.service";

export interface RoleParams {
  userId: string;
  role: Exclude<Role, "viewer" | "moderator">;
}

/** Global roles an admin hands out. viewer is everyone's; moderator is per channel (channels service). */
const ASSIGNABLE = ["creator", "editor", "organizer", "admin"] as const;
const params = {
  userId: { type: "string", min: 1, max: 100 },
  role: { type: "enum", values: [...ASSIGNABLE] },
} as const;

async function change(
  self: IdentityThis,
  ctx: Context<RoleParams, ArenaMeta>,
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
  const result = await changeRoles(self.stores.accounts, ctx.params.userId, (roles) =>
    add ? (roles.includes(role) ? roles : [...roles, role]) : roles.filter((r) => r !== role),
  );
  if (!result) throw new NotFoundError("User", ctx.params.userId);
  const { account, changed } = result;
  if (!changed) return { userId: account.id, roles: account.roles };
  if (!add) {
    // A removed role must stop working now, not when the access token expires.
    const ids = await self.sessionManager.revokeAllOfUser(account.id, `role ${ctx.params.role} removed`);
    await self.revokeSessions(ids, `role ${ctx.params.role} removed`);
  }
  return { userId: account.id, roles: account.roles };
}

/** Admin-only global role management (built-in issuer). Added roles arrive with the user's next token. */
export const roleActions: ServiceActionsSchema = {
  addRole: {
    params,
    handler(this: IdentityThis, ctx: Context<RoleParams, ArenaMeta>) {
      return change(this, ctx, true);
    },
  },
  removeRole: {
    params,
    handler(this: IdentityThis, ctx: Context<RoleParams, ArenaMeta>) {
      return change(this, ctx, false);
    },
  },
};
