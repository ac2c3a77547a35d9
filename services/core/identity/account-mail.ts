/**
 * Mail the identity service sends: single-use links (email verification,
 * password reset) and security notices. Links carry a 256-bit random token;
 * only its SHA-256 is stored, with the purpose, the address it went to and an
 * expiry, and it is consumed by a conditional update, so it works once.
 * Sending never fails the request that caused it: mail goes through the
 * durable outbox (mail-outbox.ts), retried until the SMTP server takes it.
 */
import { createHash, randomBytes } from "node:crypto";
import { getConfig } from "../../../lib/config";
import type { OutgoingMail } from "../../../lib/mail";
import { ValidationError } from "../../../lib/errors";
import type { IdentityThis } from "./identity.context";
import { enqueueMail } from "./mail-outbox";
import type { AccountDoc, EmailTokenDoc, EmailTokenPurpose } from "./identity.entities";

const HOUR_MS = 60 * 60 * 1000;

export function hashEmailToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function invalidLink(): ValidationError {
  return new ValidationError("This link is invalid, used or expired", [{ field: "token", message: "invalid" }]);
}

function ttlOf(purpose: EmailTokenPurpose): number {
  const mail = getConfig().mail;
  return purpose === "reset-password" ? mail.passwordResetTtlS : mail.verificationTtlS;
}

/**
 * Stores a new link of `purpose` for `email` and returns its token, or null
 * when the account already got MAIL_PER_HOUR links of this purpose within the
 * hour (the caller answers as if it had sent one).
 */
export async function issueEmailToken(
  svc: IdentityThis,
  userId: string,
  purpose: EmailTokenPurpose,
  email: string,
  now = new Date(),
): Promise<string | null> {
  return svc.db.transaction(async () => {
    // One account's requests take turns (row lock until commit): the hourly count cannot be overrun by a burst.
    await svc.db.query("SELECT id FROM accounts WHERE id = $1 FOR UPDATE", [userId]);
    return issueUnderLock(svc, userId, purpose, email, now);
  });
}

async function issueUnderLock(
  svc: IdentityThis,
  userId: string,
  purpose: EmailTokenPurpose,
  email: string,
  now: Date,
): Promise<string | null> {
  const recent = await svc.stores.emailTokens.count({
    userId,
    purpose,
    createdAt: { $gt: new Date(now.getTime() - HOUR_MS) },
  });
  if (recent >= getConfig().mail.perHour) {
    svc.logger.info(`No ${purpose} mail for account ${userId}: hourly limit reached`);
    return null;
  }
  const token = randomBytes(32).toString("base64url");
  await svc.stores.emailTokens.insert({
    id: hashEmailToken(token),
    userId,
    purpose,
    email,
    expiresAt: new Date(now.getTime() + ttlOf(purpose) * 1000),
  });
  return token;
}

/** The live (unused, unexpired) link of this token and purpose, or a 400. Does not consume it. */
export async function findLiveToken(
  svc: IdentityThis,
  token: string,
  purpose: EmailTokenPurpose,
  now = new Date(),
): Promise<EmailTokenDoc> {
  const doc = await svc.stores.emailTokens.findById(hashEmailToken(token));
  if (!doc || doc.purpose !== purpose || doc.usedAt || doc.expiresAt.getTime() <= now.getTime()) throw invalidLink();
  return doc;
}

/** Marks the link used; of two concurrent uses exactly one wins, the other gets a 400. */
export async function consumeToken(svc: IdentityThis, doc: EmailTokenDoc, now = new Date()): Promise<void> {
  const won = await svc.stores.emailTokens.updateMany({ id: doc.id, usedAt: null }, { usedAt: now });
  if (won !== 1) throw invalidLink();
}

function link(path: string, token: string): string {
  return `${getConfig().publicUrl.replace(/\/+$/, "")}${path}?token=${encodeURIComponent(token)}`;
}

const SIGNATURE = "\n\n-- \nArena";

export const mails = {
  verify(account: Pick<AccountDoc, "username">, to: string, token: string): OutgoingMail {
    const hours = Math.round(getConfig().mail.verificationTtlS / 3600);
    return {
      to,
      subject: "Confirm your email address",
      text:
        `Hello ${account.username},\n\nconfirm that ${to} is your address for Arena by opening this link ` +
        `(valid ${hours} h, once):\n\n${link("/verify-email", token)}\n\n` +
        `If you did not ask for this, ignore this mail.${SIGNATURE}`,
    };
  },
  emailTaken(to: string): OutgoingMail {
    return {
      to,
      subject: "Email change on Arena",
      text:
        `Someone asked to use ${to} for an Arena account, but this address already belongs to an account. ` +
        `Nothing was changed. If that was you, log in with this address instead.${SIGNATURE}`,
    };
  },
  emailChangeRequested(account: Pick<AccountDoc, "username" | "email">, newEmail: string): OutgoingMail {
    return {
      to: account.email,
      subject: "Your Arena email address is changing",
      text:
        `Hello ${account.username},\n\na change of your account's address to ${newEmail} was requested; it takes ` +
        `effect when the link sent there is opened. If this was not you, change your password now.${SIGNATURE}`,
    };
  },
  emailChanged(account: Pick<AccountDoc, "username">, oldEmail: string, newEmail: string): OutgoingMail {
    return {
      to: oldEmail,
      subject: "Your Arena email address was changed",
      text:
        `Hello ${account.username},\n\nyour account's address is now ${newEmail}; mail no longer comes here. ` +
        `If this was not you, contact the Arena team.${SIGNATURE}`,
    };
  },
  reset(account: Pick<AccountDoc, "username" | "email">, token: string): OutgoingMail {
    const minutes = Math.round(getConfig().mail.passwordResetTtlS / 60);
    return {
      to: account.email,
      subject: "Reset your Arena password",
      text:
        `Hello ${account.username},\n\nchoose a new password with this link (valid ${minutes} min, once; ` +
        `using it logs you out everywhere):\n\n${link("/reset-password", token)}\n\n` +
        `If you did not ask for this, ignore this mail: your password stays as it is.${SIGNATURE}`,
    };
  },
  passwordChanged(account: Pick<AccountDoc, "username" | "email">, how: "changed" | "reset"): OutgoingMail {
    return {
      to: account.email,
      subject: "Your Arena password was changed",
      text:
        `Hello ${account.username},\n\nyour password was ${how === "reset" ? "reset with a link sent to this address" : "changed"}` +
        ` and your other sessions were ended. If this was not you, reset your password now.${SIGNATURE}`,
    };
  },
  mfaDisabled(account: Pick<AccountDoc, "username" | "email">): OutgoingMail {
    return {
      to: account.email,
      subject: "Two-factor authentication was turned off",
      text:
        `Hello ${account.username},\n\ntwo-factor authentication was turned off for your account; logging in now ` +
        `needs only the password. If this was not you, change your password and turn it back on.${SIGNATURE}`,
    };
  },
  suspended(account: Pick<AccountDoc, "username" | "email">, reason: string): OutgoingMail {
    return {
      to: account.email,
      subject: "Your Arena account is suspended",
      text:
        `Hello ${account.username},\n\nyour account was suspended by the Arena team and can no longer log in or ` +
        `go live. What you published stays. The reason given:\n\n  ${reason}\n\n` +
        `If you think this is a mistake, reply to this mail.${SIGNATURE}`,
    };
  },
  reinstated(account: Pick<AccountDoc, "username" | "email">): OutgoingMail {
    return {
      to: account.email,
      subject: "Your Arena account is active again",
      text: `Hello ${account.username},\n\nyour account's suspension was lifted: you can log in and go live again.${SIGNATURE}`,
    };
  },
  newDevice(account: Pick<AccountDoc, "username" | "email">, device: string, ip: string | undefined): OutgoingMail {
    return {
      to: account.email,
      subject: "New login to your Arena account",
      text:
        `Hello ${account.username},\n\nyour account was logged into from a new device:\n\n` +
        `  device: ${device}\n  address: ${ip ?? "unknown"}\n  time: ${new Date().toISOString()}\n\n` +
        `If this was you, nothing to do. If not, change your password and end your other sessions.${SIGNATURE}`,
    };
  },
};

/**
 * Queues a mail in the durable outbox (in the caller's transaction, if any);
 * the outbox worker sends it, retrying through an SMTP outage or a restart.
 */
export async function sendMail(svc: IdentityThis, mail: OutgoingMail): Promise<void> {
  await enqueueMail(svc, mail);
}

/** Runs mail work after the answer (password reset requests: the answer's timing must not depend on it). */
export function inBackground(svc: IdentityThis, what: string, work: () => Promise<void>): void {
  const done = work().catch((err: Error) => svc.logger.warn(`${what} failed`, err.message));
  svc.pendingMail.add(done);
  void done.finally(() => svc.pendingMail.delete(done));
}
