/**
 * Deleting an account: by its owner (DELETE /me, with the password and, when
 * MFA is on, a one-time code) or by an admin. The account row goes and a
 * durable `user.deleted` is published in the same transaction; every other
 * service removes or anonymizes what it holds when it handles that event.
 * The user's sessions end at once (gateways refuse their access tokens).
 */
import { usesExternalIssuer } from "../../../lib/auth/issuer";
import { requireRole, requireUser } from "../../../lib/auth/ownership";
import { getConfig } from "../../../lib/config";
import { callAction, type ActionContext } from "../../../lib/contracts";
import { NotFoundError, UnauthorizedError, ValidationError } from "../../../lib/errors";
import { authenticate } from "./accounts";
import type { IdentityThis } from "./identity.context";
import type { UserDeleted } from "./identity.events";
import { assertBuiltInIssuer, revokeSessions } from "./session-revocation";

export interface AccountDeleted {
  userId: string;
  deleted: true;
}

async function publishDeletion(
  svc: IdentityThis,
  userId: string,
  username: string,
  deletedBy: UserDeleted["deletedBy"],
): Promise<void> {
  await svc.db.transaction(async () => {
    await svc.stores.accounts.removeById(userId);
    await svc.stores.emailTokens.removeMany({ userId });
    await svc.stores.knownDevices.removeMany({ userId });
    await svc.stores.suspensions.removeMany({ id: userId });
    await svc.publishDurable("user.deleted", { userId, username, deletedBy, deletedAt: new Date().toISOString() });
  });
  const ids = await svc.sessionManager.revokeAllOfUser(userId, "account deleted");
  await revokeSessions(svc, ids, "account deleted");
  svc.logger.info(`Account ${userId} deleted (${deletedBy})`);
}

/** DELETE /me: the caller deletes their own account after re-proving possession of it. */
export async function deleteAccount(
  svc: IdentityThis,
  ctx: ActionContext<"identity.deleteAccount">,
): Promise<AccountDeleted> {
  assertBuiltInIssuer();
  const user = requireUser(ctx);
  const account = await svc.stores.accounts.findById(user.id);
  if (!account) throw new UnauthorizedError("Account not found");
  // The login check, lockout and one-time-code replay guard included: a stolen access token alone deletes nothing.
  await authenticate(
    svc.stores.accounts,
    { login: account.username, password: ctx.params.password, totpCode: ctx.params.totpCode },
    getConfig().auth.keyEncryptionSecret,
  );
  await publishDeletion(svc, account.id, account.username, "self");
  return { userId: account.id, deleted: true };
}

/**
 * Admin: deletes any other user's account. With Keycloak the account itself
 * lives there (delete it there too); Arena's data of the user still goes.
 */
export async function deleteUser(
  svc: IdentityThis,
  ctx: ActionContext<"identity.deleteUser">,
): Promise<AccountDeleted> {
  const admin = requireRole(ctx, "admin");
  const { userId } = ctx.params;
  if (userId === admin.id)
    throw new ValidationError("Delete your own account with DELETE /me", [{ field: "userId", message: "self" }]);
  const account = await svc.stores.accounts.findById(userId);
  if (account) {
    await publishDeletion(svc, account.id, account.username, "admin");
    return { userId, deleted: true };
  }
  if (!usesExternalIssuer(getConfig())) throw new NotFoundError("User", userId);
  const profile = await callAction(ctx, "users.get", { id: userId });
  await publishDeletion(svc, profile.id, profile.username, "admin");
  return { userId, deleted: true };
}
