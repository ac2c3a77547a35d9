import { randomUUID } from "node:crypto";
import type { Role } from "../../../lib/auth/auth-user";
import {
  ArenaClientError,
  ConflictError,
  RateLimitedError,
  UnauthorizedError,
  ValidationError,
} from "../../../lib/errors";
import type { EntityStore } from "../../../mixins/db/entity-store";
import { afterFailure, afterSuccess, isLocked, retryAfterSeconds } from "./lockout";
import { dummyPasswordHash, hashPassword, verifyPassword } from "./password-hash";
import { passwordParams } from "./password-cost";
import { passwordProblems } from "./password-policy";
import { open } from "./secret-box";
import type { AccountDoc } from "./identity.entities";
import { verifyTotp } from "./totp";

export const USERNAME_PATTERN = "^[a-zA-Z0-9_]{3,24}$";
export const TOTP_PURPOSE = "totp-secret";

export function assertPasswordAcceptable(password: string, context: { username?: string; email?: string }): void {
  const problems = passwordProblems(password, context);
  if (problems.length > 0) {
    throw new ValidationError(
      `Password ${problems.join("; ")}`,
      problems.map((message) => ({ field: "password", message })),
    );
  }
}

export async function createAccount(
  accounts: EntityStore<AccountDoc>,
  input: { email: string; username: string; password: string },
  extraRoles: (email: string, username: string) => Role[] = () => [],
): Promise<AccountDoc> {
  const email = input.email.trim().toLowerCase();
  const username = input.username.trim().toLowerCase();
  assertPasswordAcceptable(input.password, { username, email });
  // Checked before hashing so a taken name answers fast; the unique indexes
  // still decide a race (the store turns it into the same 409).
  if (await accounts.findOne({ email })) throw new ConflictError("An account with this email already exists");
  if (await accounts.findOne({ username })) throw new ConflictError("This username is taken");
  const passwordHash = await hashPassword(input.password, passwordParams());
  return accounts.insert({
    id: randomUUID(),
    email,
    username,
    passwordHash,
    roles: ["viewer", ...extraRoles(email, username)],
    rolesVersion: 0,
    failedLogins: 0,
    lockedUntil: null,
    totpEnabled: false,
    totpSecretEnc: null,
    totpPendingEnc: null,
    totpLastStep: null,
  });
}

function findByLogin(accounts: EntityStore<AccountDoc>, login: string): Promise<AccountDoc | null> {
  const key = login.trim().toLowerCase();
  return accounts.findOne(key.includes("@") ? { email: key } : { username: key });
}

/** A locked account answers 429 with Retry-After to every secret check, right or wrong. */
export function assertNotLocked(account: AccountDoc, now: Date): void {
  if (isLocked(account, now)) throw new RateLimitedError(retryAfterSeconds(account, now));
}

/**
 * Counts a wrong password or one-time code toward the account's lockout,
 * wherever it was checked (login, password change, MFA disable: otherwise
 * the latter two are an unlimited guessing oracle), then throws: 429 when this
 * failure locks the account, `refusal` otherwise.
 */
export async function failSecretCheck(
  accounts: EntityStore<AccountDoc>,
  account: AccountDoc,
  now: Date,
  refusal: Error,
): Promise<never> {
  // Atomic increment: parallel guesses must each count, not overwrite one another.
  const bumped = await accounts.increment(account.id, "failedLogins", 1);
  const next = afterFailure(
    { failedLogins: (bumped?.failedLogins ?? account.failedLogins + 1) - 1, lockedUntil: account.lockedUntil },
    now,
  );
  if (next.lockedUntil !== account.lockedUntil)
    await accounts.updateById(account.id, { lockedUntil: next.lockedUntil });
  if (isLocked(next, now)) throw new RateLimitedError(retryAfterSeconds(next, now));
  throw refusal;
}

/**
 * Password (and TOTP when enabled) check with lockout. Every failure path
 * answers the same 401 text, and an unknown login still costs one scrypt, so
 * responses do not reveal which accounts exist.
 */
export async function authenticate(
  accounts: EntityStore<AccountDoc>,
  input: { login: string; password: string; totpCode?: string },
  encryptionSecret: string,
  now = new Date(),
): Promise<AccountDoc> {
  const invalid = () => new UnauthorizedError("Invalid login or password");
  const account = await findByLogin(accounts, input.login);
  if (!account) {
    await verifyPassword(input.password, await dummyPasswordHash(passwordParams()));
    throw invalid();
  }
  assertNotLocked(account, now);
  const fail = () => failSecretCheck(accounts, account, now, invalid());
  if (!(await verifyPassword(input.password, account.passwordHash))) return fail();
  let totpLastStep = account.totpLastStep;
  if (account.totpEnabled && account.totpSecretEnc) {
    if (!input.totpCode)
      throw new ArenaClientError("A one-time code is required", 401, "UNAUTHORIZED", [
        { field: "totpCode", message: "A one-time code is required" },
      ]);
    const secret = open(account.totpSecretEnc, encryptionSecret, TOTP_PURPOSE);
    const step = verifyTotp(secret, input.totpCode, now.getTime(), account.totpLastStep ?? -1);
    if (step === undefined) return fail();
    totpLastStep = step;
  }
  const updated = await accounts.updateById(account.id, { ...afterSuccess(), totpLastStep });
  return updated ?? account;
}

/**
 * Read-modify-write of an account's roles without lost updates: the write is
 * conditional on the `rolesVersion` it read and bumps it in the same UPDATE,
 * so of two concurrent changes (an admin grant and the creator grant on
 * channel.created) the second re-reads and applies itself on top, and every
 * change has its own version (user.roles.changed carries it: a cache that
 * hears two changes out of order keeps the newer). Returns null for an
 * unknown account.
 */
export async function changeRoles(
  accounts: EntityStore<AccountDoc>,
  userId: string,
  change: (roles: Role[]) => Role[],
): Promise<{ account: AccountDoc; changed: boolean } | null> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const account = await accounts.findById(userId);
    if (!account) return null;
    const roles = change(account.roles);
    if (roles.length === account.roles.length && roles.every((r) => account.roles.includes(r)))
      return { account, changed: false };
    const rolesVersion = account.rolesVersion + 1;
    if ((await accounts.updateMany({ id: userId, rolesVersion: account.rolesVersion }, { roles, rolesVersion })) === 1)
      return { account: { ...account, roles, rolesVersion }, changed: true };
  }
  throw new ConflictError("The account changed too often at once; try again");
}
