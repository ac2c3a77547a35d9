import type { SettingSpec } from "../setting-spec";

/** Accounts and tokens: admins, OIDC or the built-in issuer, password hashing, mail. */
export const IDENTITY_SETTINGS = [
  {
    env: "ARENA_ADMINS",
    kind: "list",
    production: "e.g. alice,ops@arena.example",
    description:
      "usernames or emails of local accounts that get the admin role when they register, or at boot if they exist (built-in issuer only; never removes it)",
  },
  {
    env: "OIDC_ISSUER",
    kind: "url",
    production: "https://keycloak.example/realms/arena",
    description: "token issuer; unset uses Arena's built-in issuer",
  },
  { env: "OIDC_AUDIENCE", kind: "string", embedded: "arena", production: "arena", description: "required aud claim" },
  {
    env: "OIDC_JWKS_URL",
    kind: "url",
    production: "<issuer>/protocol/openid-connect/certs",
    description: "JWKS location; default derived from the issuer",
  },
  {
    env: "JWT_ALGORITHMS",
    kind: "list",
    embedded: "EdDSA,RS256",
    production: "RS256",
    description: "accepted signature algorithms (pinned)",
  },
  {
    env: "ACCESS_TOKEN_TTL_S",
    kind: "int",
    embedded: "900",
    production: "900",
    description: "built-in issuer access-token lifetime",
  },
  {
    env: "PASSWORD_HASH_COST",
    kind: "int",
    embedded: "15",
    production: "15",
    description:
      "scrypt cost of new password hashes, as log2 N (15: 32 MiB, ~100 ms); 10-20; below 15 only for test runs, production mode refuses it",
  },
  {
    env: "REFRESH_TOKEN_TTL_S",
    kind: "int",
    embedded: "2592000",
    production: "2592000",
    description: "built-in issuer refresh-token lifetime",
  },
  {
    env: "AUTH_TOKEN_CACHE_SIZE",
    kind: "int",
    embedded: "10000",
    production: "10000",
    description:
      "verified bearer tokens each gateway keeps (by hash, least recently used dropped); 0 verifies every request",
  },
  {
    env: "AUTH_TOKEN_CACHE_TTL_S",
    kind: "int",
    embedded: "60",
    production: "60",
    description:
      "longest a verified token is trusted without checking its signature again (never past its exp; revocation is checked on every request)",
  },
  {
    env: "IDENTITY_KEY_ENCRYPTION_SECRET",
    kind: "string",
    secret: true,
    generated: true,
    production: "32+ random bytes (Vault)",
    description: "encrypts the built-in issuer's private signing keys at rest",
  },
  {
    env: "SMTP_URL",
    kind: "url",
    secret: true,
    production: "smtps://user:pass@smtp.example:465",
    description:
      "mail (verification, password reset, security notices) goes through this SMTP server; unset writes each mail as an .eml file under DATA_DIR/mail/ and logs where",
  },
  {
    env: "MAIL_FROM",
    kind: "string",
    embedded: "Arena <no-reply@localhost>",
    production: "Arena <no-reply@arena.example>",
    description: "From address of Arena's mail",
  },
  {
    env: "EMAIL_VERIFICATION_TTL_S",
    kind: "int",
    embedded: "86400",
    production: "86400",
    description: "lifetime of an email verification link (registration and email change)",
  },
  {
    env: "PASSWORD_RESET_TTL_S",
    kind: "int",
    embedded: "3600",
    production: "3600",
    description: "lifetime of a password reset link (single use)",
  },
  {
    env: "PASSWORD_RESET_PER_HOUR",
    kind: "int",
    embedded: "3",
    production: "3",
    description:
      "reset mails sent to one account per hour (and verification mails per purpose); further requests get the same answer and no mail",
  },
] as const satisfies readonly SettingSpec[];
