/** What the identity service stores (schema "identity", migrations/), and its DbMixin config. */
import { join } from "node:path";
import type { Role } from "../../../lib/auth/auth-user";
import { entity, type BaseDocument, type DbMixinOptions } from "../../../mixins/db";
import { DURABLE_EVENTS_MIGRATIONS } from "../../../mixins/durable-events";
import type { StoredSigningKey } from "./signing-keys";

/** A local account of the built-in issuer; email and username are stored lower-cased. */
export interface AccountDoc extends BaseDocument {
  email: string;
  username: string;
  passwordHash: string;
  roles: Role[];
  /** Grows by one with every change of `roles` (same write); user.roles.changed carries it so caches keep the newest. */
  rolesVersion: number;
  failedLogins: number;
  lockedUntil: Date | null;
  totpEnabled: boolean;
  totpSecretEnc: string | null;
  totpPendingEnc: string | null;
  totpLastStep: number | null;
  /** When the current address was proven (a verification link, or a password reset link sent to it). */
  emailVerifiedAt: Date | null;
}

export type EmailTokenPurpose = "verify-email" | "reset-password";

/** A single-use link sent by mail, keyed by the token's SHA-256. */
export interface EmailTokenDoc extends BaseDocument {
  userId: string;
  purpose: EmailTokenPurpose;
  /** The address the link went to: for an email change, the new address it proves. */
  email: string;
  expiresAt: Date;
  usedAt: Date | null;
}

/** A device (user agent) an account logged in from; id = SHA-256 of user id and user agent. */
export interface KnownDeviceDoc extends BaseDocument {
  userId: string;
  userAgent: string;
  lastSeenAt: Date;
}

/** One per login; the access token's `sid`. */
export interface SessionDoc extends BaseDocument {
  userId: string;
  expiresAt: Date;
  revokedAt: Date | null;
  revokeReason: string | null;
}

/** A single-use refresh token, keyed by its hash. */
export interface RefreshTokenDoc extends BaseDocument {
  sessionId: string;
  usedAt: Date | null;
  expiresAt: Date;
}

/** An account suspension (id = the user id); kept after a lift so its version keeps growing. */
export interface SuspensionDoc extends BaseDocument {
  active: boolean;
  /** Why, in the moderator's words (plain text); the user is told it. */
  reason: string;
  suspendedBy: string;
  /** The abuse report it came from, when it did. */
  reportId: string | null;
  suspendedAt: Date;
  liftedAt: Date | null;
  liftedBy: string | null;
  /** Grows on every suspension and lift; the events carry it. */
  version: number;
}

/** A mail waiting for the SMTP server (mail-outbox.ts); deleted once sent. */
export interface MailOutboxDoc extends BaseDocument {
  /** For logs and operators; carries no secret. */
  subject: string;
  /** The whole OutgoingMail, sealed (secret-box). */
  sealed: string;
  attempts: number;
  nextAttemptAt: Date;
  leaseUntil: Date | null;
  lastError: string | null;
  /** Set after the last attempt failed; the row stays for an operator. */
  failedAt: Date | null;
}

export type SigningKeyDoc = StoredSigningKey & BaseDocument;

export type IdentityModels = {
  accounts: AccountDoc;
  sessions: SessionDoc;
  refreshTokens: RefreshTokenDoc;
  signingKeys: SigningKeyDoc;
  emailTokens: EmailTokenDoc;
  knownDevices: KnownDeviceDoc;
  suspensions: SuspensionDoc;
  mailOutbox: MailOutboxDoc;
};

const accounts = entity<AccountDoc>()({
  table: "accounts",
  kind: "relational",
  fields: {
    email: { type: "string", required: true },
    username: { type: "string", required: true },
    passwordHash: { type: "string", required: true },
    roles: { type: "json", default: () => ["viewer"] },
    rolesVersion: { type: "integer", default: 0 },
    failedLogins: { type: "integer", default: 0 },
    lockedUntil: { type: "date" },
    totpEnabled: { type: "boolean", default: false },
    totpSecretEnc: { type: "text" },
    totpPendingEnc: { type: "text" },
    totpLastStep: { type: "integer" },
    emailVerifiedAt: { type: "date" },
  },
});

const sessions = entity<SessionDoc>()({
  table: "sessions",
  kind: "relational",
  fields: {
    userId: { type: "string", required: true },
    expiresAt: { type: "date", required: true },
    revokedAt: { type: "date" },
    revokeReason: { type: "string" },
  },
});

const refreshTokens = entity<RefreshTokenDoc>()({
  table: "refresh_tokens",
  kind: "relational",
  fields: {
    sessionId: { type: "string", required: true },
    usedAt: { type: "date" },
    expiresAt: { type: "date", required: true },
  },
});

const signingKeys = entity<SigningKeyDoc>()({
  table: "signing_keys",
  kind: "relational",
  fields: {
    alg: { type: "string", required: true },
    status: { type: "string", required: true },
    publicJwk: { type: "json", required: true },
    privateKeyEnc: { type: "text", required: true },
  },
});

const emailTokens = entity<EmailTokenDoc>()({
  table: "email_tokens",
  kind: "relational",
  fields: {
    userId: { type: "string", required: true },
    purpose: { type: "string", required: true },
    email: { type: "string", required: true },
    expiresAt: { type: "date", required: true },
    usedAt: { type: "date" },
  },
});

const knownDevices = entity<KnownDeviceDoc>()({
  table: "known_devices",
  kind: "relational",
  fields: {
    userId: { type: "string", required: true },
    userAgent: { type: "text", required: true },
    lastSeenAt: { type: "date", required: true },
  },
});

const suspensions = entity<SuspensionDoc>()({
  table: "suspensions",
  kind: "relational",
  fields: {
    active: { type: "boolean", required: true },
    reason: { type: "text", required: true },
    suspendedBy: { type: "string", required: true },
    reportId: { type: "string" },
    suspendedAt: { type: "date", required: true },
    liftedAt: { type: "date" },
    liftedBy: { type: "string" },
    version: { type: "integer", default: 1 },
  },
});

const mailOutbox = entity<MailOutboxDoc>()({
  table: "mail_outbox",
  kind: "relational",
  fields: {
    subject: { type: "text", required: true },
    sealed: { type: "text", required: true },
    attempts: { type: "integer", default: 0 },
    nextAttemptAt: { type: "date", required: true },
    leaseUntil: { type: "date" },
    lastError: { type: "text" },
    failedAt: { type: "date" },
  },
});

export const IDENTITY_DB: DbMixinOptions = {
  schema: "identity",
  primary: "accounts",
  entities: { accounts, sessions, refreshTokens, signingKeys, emailTokens, knownDevices, suspensions, mailOutbox },
  migrations: [{ name: "identity", dir: join(__dirname, "migrations") }, DURABLE_EVENTS_MIGRATIONS],
};
