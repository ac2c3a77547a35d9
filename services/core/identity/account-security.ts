import { ConflictError, UnauthorizedError, ValidationError } from "../../../lib/errors";
import type { EntityStore } from "../../../mixins/db/entity-store";
import { afterSuccess } from "./lockout";
import { assertNotLocked, assertPasswordAcceptable, failSecretCheck, TOTP_PURPOSE } from "./accounts";
import type { AccountDoc } from "./identity.entities";
import { hashPassword, verifyPassword } from "./password-hash";
import { passwordParams } from "./password-cost";
import { open, seal } from "./secret-box";
import { generateTotpSecret, otpauthUri, verifyTotp } from "./totp";

/**
 * Password change and TOTP enrolment: every step re-proves possession of the
 * account, and a wrong password or code there counts toward the same lockout
 * as a wrong login.
 */
async function load(accounts: EntityStore<AccountDoc>, userId: string): Promise<AccountDoc> {
  const account = await accounts.findById(userId);
  if (!account) throw new UnauthorizedError("Account not found");
  return account;
}

export async function changePassword(
  accounts: EntityStore<AccountDoc>,
  userId: string,
  input: { currentPassword: string; newPassword: string },
  now = new Date(),
): Promise<void> {
  const account = await load(accounts, userId);
  assertNotLocked(account, now);
  if (!(await verifyPassword(input.currentPassword, account.passwordHash)))
    return failSecretCheck(accounts, account, now, new UnauthorizedError("Current password is wrong"));
  assertPasswordAcceptable(input.newPassword, { username: account.username, email: account.email });
  if (input.newPassword === input.currentPassword)
    throw new ValidationError("New password must differ from the current one", [
      { field: "newPassword", message: "unchanged" },
    ]);
  await accounts.updateById(userId, {
    passwordHash: await hashPassword(input.newPassword, passwordParams()),
    ...afterSuccess(),
  });
}

export async function startMfaSetup(
  accounts: EntityStore<AccountDoc>,
  userId: string,
  secret: string,
): Promise<{ secret: string; otpauthUri: string }> {
  const account = await load(accounts, userId);
  if (account.totpEnabled) throw new ConflictError("Two-factor authentication is already enabled");
  const totpSecret = generateTotpSecret();
  await accounts.updateById(userId, { totpPendingEnc: seal(totpSecret, secret, TOTP_PURPOSE) });
  return { secret: totpSecret, otpauthUri: otpauthUri(totpSecret, account.username) };
}

export async function confirmMfa(
  accounts: EntityStore<AccountDoc>,
  userId: string,
  code: string,
  secret: string,
  now = new Date(),
): Promise<void> {
  const account = await load(accounts, userId);
  if (account.totpEnabled) throw new ConflictError("Two-factor authentication is already enabled");
  if (!account.totpPendingEnc) throw new ConflictError("Start the setup first");
  const step = verifyTotp(open(account.totpPendingEnc, secret, TOTP_PURPOSE), code, now.getTime());
  if (step === undefined)
    throw new ValidationError("Wrong one-time code", [{ field: "code", message: "does not match" }]);
  await accounts.updateById(userId, {
    totpEnabled: true,
    totpSecretEnc: account.totpPendingEnc,
    totpPendingEnc: null,
    totpLastStep: step,
  });
}

export async function disableMfa(
  accounts: EntityStore<AccountDoc>,
  userId: string,
  input: { password: string; code: string },
  secret: string,
  now = new Date(),
): Promise<void> {
  const account = await load(accounts, userId);
  if (!account.totpEnabled || !account.totpSecretEnc)
    throw new ConflictError("Two-factor authentication is not enabled");
  assertNotLocked(account, now);
  if (!(await verifyPassword(input.password, account.passwordHash)))
    return failSecretCheck(accounts, account, now, new UnauthorizedError("Password is wrong"));
  const step = verifyTotp(
    open(account.totpSecretEnc, secret, TOTP_PURPOSE),
    input.code,
    now.getTime(),
    account.totpLastStep ?? -1,
  );
  if (step === undefined) return failSecretCheck(accounts, account, now, new UnauthorizedError("Wrong one-time code"));
  await accounts.updateById(userId, {
    totpEnabled: false,
    totpSecretEnc: null,
    totpLastStep: null,
    ...afterSuccess(),
  });
}
