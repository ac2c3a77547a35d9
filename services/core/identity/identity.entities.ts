import type { EntityDefinition } from "../../../mixins/db/entity";

/** The identity schema's tables (see migrations/001_identity.sql); fields are camelCase, columns snake_case. */
export const IDENTITY_ENTITIES: Record<"accounts" | "sessions" | "refreshTokens" | "signingKeys", EntityDefinition> = {
  accounts: {
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
  },
  sessions: {
    table: "sessions",
    kind: "relational",
    fields: {
      userId: { type: "string", required: true },
      expiresAt: { type: "date", required: true },
      revokedAt: { type: "date" },
      revokeReason: { type: "string" },
    },
  },
  refreshTokens: {
    table: "refresh_tokens",
    kind: "relational",
    fields: {
      sessionId: { type: "string", required: true },
      usedAt: { type: "date" },
      expiresAt: { type: "date", required: true },
    },
  },
  signingKeys: {
    table: "signing_keys",
    kind: "relational",
    fields: {
      alg: { type: "string", required: true },
      status: { type: "string", required: true },
      publicJwk: { type: "json", required: true },
      privateKeyEnc: { type: "text", required: true },
    },
  },
};
