/**
 * Email verification (at registration and on an email change), password
 * reset by a single-use link, and the notices that go with account security.
 * Answers about an address never tell whether it has an account: a reset
 * request is accepted alike for any address and its work runs after the
 * answer; an email change to a taken address is accepted too, and the mail
 * to that address says it is taken.
 */
import { createHash } from "node:crypto";
import { requireUser } from "../../../lib/auth/ownership";
import type { ActionContext } from "../../../lib/contracts";
import { ConflictError, UnauthorizedError, ValidationError } from "../../../lib/errors";
import type { HttpResponseMeta } from "../../../lib/http/response-meta";
import { assertNotLocked, assertPasswordAcceptable, failSecretCheck } from "./accounts";
import {
  consumeToken,
  findLiveToken,
  inBackground,
  invalidLink,
  issueEmailToken,
  mails,
  sendMail,
} from "./account-mail";
import type { IdentityThis } from "./identity.context";
import type { AccountDoc } from "./identity.entities";
import type { Accepted, EmailVerified, RevokedSessionsCount } from "./identity.contract";
import { afterSuccess } from "./lockout";
import { hashPassword, verifyPassword } from "./password-hash";
import { passwordParams } from "./password-cost";
import { assertBuiltInIssuer, revokeSessions } from "./session-revocation";

function accepted(ctx: { meta: object }): Accepted {
  (ctx.meta as HttpResponseMeta).$statusCode = 202;
  return { accepted: true };
}

/** Sends a verification link for `email` (the account's address, or the new one of a change). */
export async function sendVerification(svc: IdentityThis, account: AccountDoc, email: string): Promise<void> {
  // The link and its mail commit together: no stored link whose mail is lost, no mail with a link never stored.
  await svc.db.transaction(async () => {
    const token = await issueEmailToken(svc, account.id, "verify-email", email);
    if (token) await sendMail(svc, mails.verify(account, email, token));
  });
}

/** POST /auth/email/verify: proves an address; for a pending change, the account's address becomes it. */
export async function verifyEmail(
  svc: IdentityThis,
  ctx: ActionContext<"identity.verifyEmail">,
): Promise<EmailVerified> {
  const doc = await findLiveToken(svc, ctx.params.token, "verify-email");
  const account = await svc.stores.accounts.findById(doc.userId);
  if (!account) throw invalidLink();
  const now = new Date();
  if (doc.email === account.email) {
    await consumeToken(svc, doc, now);
    if (!account.emailVerifiedAt) await svc.stores.accounts.updateById(account.id, { emailVerifiedAt: now });
    return { userId: account.id, email: account.email, emailVerified: true };
  }
  // An email change: the new address is proven now. The unique index decides a race for the address.
  if (await svc.stores.accounts.findOne({ email: doc.email }))
    throw new ConflictError("This address already belongs to another account");
  await svc.db.transaction(async () => {
    await consumeToken(svc, doc, now);
    await svc.stores.accounts.updateById(account.id, { email: doc.email, emailVerifiedAt: now });
    // Links sent to the old address (a reset, a verification) die with it.
    await svc.stores.emailTokens.updateMany({ userId: account.id, usedAt: null }, { usedAt: now });
    await svc.publishDurable("user.email.changed", {
      userId: account.id,
      email: doc.email,
      changedAt: now.toISOString(),
    });
  });
  await sendMail(svc, mails.emailChanged(account, account.email, doc.email));
  svc.logger.info(`Account ${account.id} changed its email address`);
  return { userId: account.id, email: doc.email, emailVerified: true };
}

/** POST /auth/email/verification: sends a new verification link for the caller's unverified address. */
export async function resendVerification(
  svc: IdentityThis,
  ctx: ActionContext<"identity.resendVerification">,
): Promise<Accepted> {
  assertBuiltInIssuer();
  const account = await svc.stores.accounts.findById(requireUser(ctx).id);
  if (!account) throw new UnauthorizedError("Account not found");
  if (account.emailVerifiedAt) throw new ConflictError("The address is already verified");
  await sendVerification(svc, account, account.email);
  return accepted(ctx);
}

/**
 * POST /auth/email: re-proves the password, then sends a verification link
 * to the new address (the change happens when it is opened) and a notice to
 * the current one.
 */
export async function changeEmail(svc: IdentityThis, ctx: ActionContext<"identity.changeEmail">): Promise<Accepted> {
  assertBuiltInIssuer();
  const now = new Date();
  const account = await svc.stores.accounts.findById(requireUser(ctx).id);
  if (!account) throw new UnauthorizedError("Account not found");
  assertNotLocked(account, now);
  if (!(await verifyPassword(ctx.params.password, account.passwordHash)))
    return failSecretCheck(svc.stores.accounts, account, now, new UnauthorizedError("Password is wrong"));
  if (account.failedLogins > 0) await svc.stores.accounts.updateById(account.id, afterSuccess());
  const newEmail = ctx.params.newEmail.trim().toLowerCase();
  if (newEmail === account.email)
    throw new ValidationError("This is already the account's address", [{ field: "newEmail", message: "unchanged" }]);
  if (await svc.stores.accounts.findOne({ email: newEmail })) {
    // Same answer as for a free address: the owner of that inbox learns it is taken, the caller does not.
    if (await issueEmailToken(svc, account.id, "verify-email", newEmail))
      await sendMail(svc, mails.emailTaken(newEmail));
    return accepted(ctx);
  }
  await sendVerification(svc, account, newEmail);
  await sendMail(svc, mails.emailChangeRequested(account, newEmail));
  return accepted(ctx);
}

/**
 * POST /auth/password/forgot: always the same 202, whether the address has
 * an account or not; the lookup and the mail happen after the answer, so its
 * timing tells nothing either. At most MAIL_PER_HOUR reset mails per account.
 */
export function requestPasswordReset(svc: IdentityThis, ctx: ActionContext<"identity.requestPasswordReset">): Accepted {
  assertBuiltInIssuer();
  const email = ctx.params.email.trim().toLowerCase();
  inBackground(svc, "Password reset request", async () => {
    const account = await svc.stores.accounts.findOne({ email });
    if (!account) return;
    await svc.db.transaction(async () => {
      const token = await issueEmailToken(svc, account.id, "reset-password", account.email);
      if (token) await sendMail(svc, mails.reset(account, token));
    });
  });
  return accepted(ctx);
}

/**
 * POST /auth/password/reset: a live reset link and a new password. The link
 * is used up (and any other reset link of the account), the lockout cleared,
 * every session of the account ended, and a notice sent.
 */
export async function resetPassword(
  svc: IdentityThis,
  ctx: ActionContext<"identity.resetPassword">,
): Promise<RevokedSessionsCount> {
  assertBuiltInIssuer();
  const doc = await findLiveToken(svc, ctx.params.token, "reset-password");
  const account = await svc.stores.accounts.findById(doc.userId);
  // A link sent to an address the account no longer has is dead.
  if (!account || account.email !== doc.email) throw invalidLink();
  assertPasswordAcceptable(ctx.params.newPassword, { username: account.username, email: account.email });
  const passwordHash = await hashPassword(ctx.params.newPassword, passwordParams());
  const now = new Date();
  await svc.db.transaction(async () => {
    await consumeToken(svc, doc, now);
    await svc.stores.emailTokens.updateMany(
      { userId: account.id, purpose: "reset-password", usedAt: null },
      { usedAt: now },
    );
    // Opening a link sent to the address proves it, too.
    await svc.stores.accounts.updateById(account.id, {
      passwordHash,
      ...afterSuccess(),
      emailVerifiedAt: account.emailVerifiedAt ?? now,
    });
  });
  const ids = await svc.sessionManager.revokeAllOfUser(account.id, "password reset");
  await revokeSessions(svc, ids, "password reset");
  await sendMail(svc, mails.passwordChanged(account, "reset"));
  svc.logger.info(`Account ${account.id} reset its password; ${ids.length} sessions ended`);
  return { revokedSessions: ids.length };
}

const MAX_USER_AGENT = 256;

/**
 * Remembers the device (user agent) of a login; the first login from a
 * device the account has not used before, other than its very first one,
 * gets a notice mail.
 */
export async function noticeNewDevice(
  svc: IdentityThis,
  account: AccountDoc,
  meta: { userAgent?: string; clientIp?: string },
): Promise<void> {
  const userAgent = (meta.userAgent ?? "unknown").slice(0, MAX_USER_AGENT);
  const id = createHash("sha256").update(`${account.id}\n${userAgent}`, "utf8").digest("hex");
  const now = new Date();
  const added = await svc.stores.knownDevices.insertIfAbsent({ id, userId: account.id, userAgent, lastSeenAt: now });
  if (!added) {
    await svc.stores.knownDevices.updateById(id, { lastSeenAt: now });
    return;
  }
  if ((await svc.stores.knownDevices.count({ userId: account.id })) > 1)
    await sendMail(svc, mails.newDevice(account, userAgent, meta.clientIp));
}

/** Notices after a password change or MFA disable on a signed-in account. */
export async function noticeSecurityChange(
  svc: IdentityThis,
  userId: string,
  what: "password" | "mfa-disabled",
): Promise<void> {
  const account = await svc.stores.accounts.findById(userId);
  if (!account) return;
  await sendMail(svc, what === "password" ? mails.passwordChanged(account, "changed") : mails.mfaDisabled(account));
}
