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
  failedLogins: number;
  lockedUntil: Date | null;
  totpEnabled: boolean;
  totpSecretEnc: string | null;
  totpPendingEnc: string | null;
  totpLastStep: number | null;
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

export type SigningKeyDoc = StoredSigningKey & BaseDocument;

export type IdentityModels = {
  accounts: AccountDoc;
  sessions: SessionDoc;
  refreshTokens: RefreshTokenDoc;
  signingKeys: SigningKeyDoc;
};

const accounts = entity<AccountDoc>()({
  table: "accounts",
  kind: "relational",
  fields: {
    email: { type: "string", required: true },
    username: { type: "string", required: true },
    passwordHash: { type: "string", required: true },
    roles: { type: "json", default: () => ["viewer"] },
    failedLogins: { type: "integer", default: 0 },
    lockedUntil: { type: "date" },
    totpEnabled: { type: "boolean", default: false },
    totpSecretEnc: { type: "text" },
    totpPendingEnc: { type: "text" },
    totpLastStep: { type: "integer" },
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

export const IDENTITY_DB: DbMixinOptions = {
  schema: "identity",
  primary: "accounts",
  entities: { accounts, sessions, refreshTokens, signingKeys },
  migrations: [{ name: "identity", dir: join(__dirname, "migrations") }, DURABLE_EVENTS_MIGRATIONS],
};
