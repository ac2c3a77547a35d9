/** A local account's life: registration, password change, TOTP enrolment. */
import { requireUser } from "../../../lib/auth/ownership";
import { getConfig } from "../../../lib/config";
import { callAction, type ActionContext } from "../../../lib/contracts";
import { markCreated } from "../../../lib/http/response-meta";
import { changePassword as storeNewPassword, confirmMfa, disableMfa, startMfaSetup } from "./account-security";
import { createAccount } from "./accounts";
import { noticeSecurityChange, sendVerification } from "./email-actions";
import { isListedAdmin } from "./listed-admins";
import type { IdentityThis } from "./identity.context";
import type { RegisteredUser, RevokedSessionsCount } from "./identity.contract";
import { assertBuiltInIssuer, revokeSessions } from "./session-revocation";

/** Creates a local account (built-in issuer). Does not log in. */
export async function register(svc: IdentityThis, ctx: ActionContext<"identity.register">): Promise<RegisteredUser> {
  assertBuiltInIssuer();
  // Usernames are unique case-insensitively (stored lower-cased); the profile keeps the case the user chose.
  const displayName = ctx.params.username.trim();
  const account = await svc.db.transaction(async () => {
    const created = await createAccount(svc.stores.accounts, ctx.params, (email, username) =>
      isListedAdmin(getConfig().auth.admins, { email, username }) ? ["admin"] : [],
    );
    await svc.publishDurable("user.registered", {
      userId: created.id,
      username: created.username,
      displayName,
      email: created.email,
      source: "local",
      registeredAt: created.createdAt.toISOString(),
    });
    // The verification mail commits with the account (durable outbox): an SMTP outage delays it, loses nothing.
    await sendVerification(svc, created, created.email);
    return created;
  });
  // The profile also follows from user.registered; creating it now means
  // the new user can read it back at once. Failure here is harmless.
  await callAction(ctx, "users.provision", {
    id: account.id,
    username: account.username,
    displayName,
    email: account.email,
  }).catch((err: Error) => {
    svc.logger.warn("users.provision failed; the user.registered consumer will create the profile", err.message);
  });
  markCreated(ctx, `/users/${account.id}`);
  return {
    id: account.id,
    username: account.username,
    email: account.email,
    emailVerified: false,
    roles: account.roles,
  };
}

/** Changes the password and ends every other session. */
export async function changePassword(
  svc: IdentityThis,
  ctx: ActionContext<"identity.changePassword">,
): Promise<RevokedSessionsCount> {
  const user = requireUser(ctx);
  await storeNewPassword(svc.stores.accounts, user.id, ctx.params);
  const ids = await svc.sessionManager.revokeAllOfUser(user.id, "password changed", user.sessionId);
  await revokeSessions(svc, ids, "password changed");
  await noticeSecurityChange(svc, user.id, "password");
  return { revokedSessions: ids.length };
}

/** Starts TOTP enrolment: returns the secret once, to put in an authenticator app. */
export function mfaSetup(
  svc: IdentityThis,
  ctx: ActionContext<"identity.mfaSetup">,
): Promise<{ secret: string; otpauthUri: string }> {
  return startMfaSetup(svc.stores.accounts, requireUser(ctx).id, getConfig().auth.keyEncryptionSecret);
}

/** Confirms enrolment with a first code; from now on login needs a code. */
export async function mfaEnable(
  svc: IdentityThis,
  ctx: ActionContext<"identity.mfaEnable">,
): Promise<{ mfaEnabled: true }> {
  await confirmMfa(svc.stores.accounts, requireUser(ctx).id, ctx.params.code, getConfig().auth.keyEncryptionSecret);
  return { mfaEnabled: true };
}

export async function mfaDisable(
  svc: IdentityThis,
  ctx: ActionContext<"identity.mfaDisable">,
): Promise<{ mfaEnabled: false }> {
  const userId = requireUser(ctx).id;
  await disableMfa(svc.stores.accounts, userId, ctx.params, getConfig().auth.keyEncryptionSecret);
  await noticeSecurityChange(svc, userId, "mfa-disabled");
  return { mfaEnabled: false };
}
