/** Logging in and out: access tokens, the refresh-token chain, ending sessions. */
import { requireUser } from "../../../lib/auth/ownership";
import { getConfig } from "../../../lib/config";
import type { ActionContext } from "../../../lib/contracts";
import { UnauthorizedError } from "../../../lib/errors";
import { authenticate } from "./accounts";
import { noticeNewDevice } from "./email-actions";
import type { IdentityThis } from "./identity.context";
import type { RevokedSessionsCount } from "./identity.contract";
import type { AccountDoc } from "./identity.entities";
import { assertBuiltInIssuer, revokeSessions } from "./session-revocation";
import { assertNotSuspended, isSuspended } from "./suspension";
import { issueTokenPair, type TokenPair } from "./token-pair";

async function tokensFor(
  svc: IdentityThis,
  account: AccountDoc,
  sessionId: string,
  refreshToken: string,
): Promise<TokenPair> {
  return issueTokenPair(getConfig(), await svc.keys.signingMaterial(), account, sessionId, refreshToken);
}

/** Password (+ TOTP when enabled) → access token and refresh token. */
export async function login(svc: IdentityThis, ctx: ActionContext<"identity.login">): Promise<TokenPair> {
  assertBuiltInIssuer();
  const account = await authenticate(svc.stores.accounts, ctx.params, getConfig().auth.keyEncryptionSecret);
  // After the password check: whether an account is suspended is told only to whoever proves it is theirs.
  await assertNotSuspended(svc, account.id);
  const { session, refreshToken } = await svc.sessionManager.open(account.id);
  await noticeNewDevice(svc, account, ctx.meta).catch((err: Error) =>
    svc.logger.warn("New-device check failed", err.message),
  );
  return tokensFor(svc, account, session.id, refreshToken);
}

/** Rotates the refresh token; a reused one revokes its whole session. */
export async function refresh(svc: IdentityThis, ctx: ActionContext<"identity.refresh">): Promise<TokenPair> {
  const outcome = await svc.sessionManager.refresh(ctx.params.refreshToken);
  if (outcome.kind === "reuse") {
    await revokeSessions(svc, [outcome.sessionId], "refresh token reuse");
    svc.logger.warn(`Refresh token reuse detected; session ${outcome.sessionId} revoked`);
    throw new UnauthorizedError("Refresh token already used; session revoked");
  }
  if (outcome.kind === "rejected") throw new UnauthorizedError(`Refresh token ${outcome.reason}`);
  const account = await svc.stores.accounts.findById(outcome.session.userId);
  if (!account) throw new UnauthorizedError("Account no longer exists");
  // Suspension revokes every session; this covers a refresh racing with it.
  if (await isSuspended(svc, account.id)) {
    await revokeSessions(svc, [outcome.session.id], "account suspended");
    throw new UnauthorizedError("This account is suspended");
  }
  return tokensFor(svc, account, outcome.session.id, outcome.refreshToken);
}

/** Ends the caller's session (the `sid` of the access token). */
export async function logout(svc: IdentityThis, ctx: ActionContext<"identity.logout">): Promise<{ revoked: boolean }> {
  const user = requireUser(ctx);
  if (!user.sessionId) return { revoked: false };
  const session = await svc.sessionManager.findSession(user.sessionId);
  if (!session || session.userId !== user.id) return { revoked: false };
  await revokeSessions(svc, [user.sessionId], "logout");
  return { revoked: true };
}

/** Ends every session of the caller. */
export async function logoutAll(
  svc: IdentityThis,
  ctx: ActionContext<"identity.logoutAll">,
): Promise<RevokedSessionsCount> {
  const user = requireUser(ctx);
  const ids = await svc.sessionManager.revokeAllOfUser(user.id, "logout all");
  await revokeSessions(svc, ids, "logout all");
  return { revokedSessions: ids.length };
}
