import { ROLES } from "../../../lib/auth/auth-user";
import { USER_DATA_SERVICES, type UserDataRecord } from "../../../lib/contracts/user-data";
import { s, type PropertySchemas } from "../../../lib/http/response-schema";
import type { AccountDeleted } from "./account-deletion";
import type { AccountExport } from "./account-export";
import type {
  Accepted,
  EmailVerified,
  OpenIdConfiguration,
  RegisteredUser,
  RevokedSessionsCount,
  SessionView,
  UserRoles,
} from "./identity.contract";
import { SIGNING_ALG, type PublicJwk } from "./signing-keys";
import type { TokenPair } from "./token-pair";

/** Response bodies of /auth, /me and account routes, typed by the actions' results (identity.routes.ts). */
const ROLE_LIST = s.array(s.enum(ROLES));

export const REGISTERED = s.named(
  "RegisteredUser",
  s.object<RegisteredUser>()({
    id: s.string(),
    username: s.string(),
    email: s.string(),
    emailVerified: s.boolean(),
    roles: ROLE_LIST,
  }),
);

export const TOKENS = s.named(
  "TokenPair",
  s.object<TokenPair>()({
    tokenType: s.literal("Bearer"),
    accessToken: s.string(),
    expiresIn: s.integer(),
    refreshToken: s.string(),
    refreshExpiresIn: s.integer(),
    user: s.object<TokenPair["user"]>()({ id: s.string(), username: s.string(), roles: ROLE_LIST }),
  }),
);

export const REVOKED = s.object<{ revoked: boolean }>()({ revoked: s.boolean() });

export const REVOKED_SESSIONS = s.object<RevokedSessionsCount>()({ revokedSessions: s.integer() });

export const SESSIONS = s.object<{ items: SessionView[] }>()({
  items: s.array(
    s.named(
      "Session",
      s.object<SessionView>()({
        id: s.string(),
        createdAt: s.dateTime(),
        expiresAt: s.dateTime(),
        current: s.boolean(),
      }),
    ),
  ),
});

export const ACCEPTED = s.object<Accepted>()({ accepted: s.literal(true) });

export const EMAIL_VERIFIED = s.object<EmailVerified>()({
  userId: s.string(),
  email: s.string(),
  emailVerified: s.literal(true),
});

export const MFA_SETUP = s.object<{ secret: string; otpauthUri: string }>()({
  secret: s.string(),
  otpauthUri: s.string(),
});
export const MFA_ENABLED = s.object<{ mfaEnabled: true }>()({ mfaEnabled: s.literal(true) });
export const MFA_DISABLED = s.object<{ mfaEnabled: false }>()({ mfaEnabled: s.literal(false) });

/** The issuer's published verification keys: Ed25519 (RFC 8037), current first, then the previous one. */
export const JWKS = s.named(
  "Jwks",
  s.object<{ keys: PublicJwk[] }>()({
    keys: s.array(
      s.named(
        "PublicJwk",
        s.object<PublicJwk>()({
          kty: s.literal("OKP"),
          crv: s.literal("Ed25519"),
          x: s.string(),
          kid: s.string(),
          alg: s.literal(SIGNING_ALG),
          use: s.literal("sig"),
        }),
      ),
    ),
  }),
);

export const OPENID_CONFIGURATION = s.object<OpenIdConfiguration>()({
  issuer: s.string(),
  jwks_uri: s.string(),
  token_endpoint: s.string(),
  id_token_signing_alg_values_supported: s.array(s.string()),
  subject_types_supported: s.array(s.string()),
});

export const USER_ROLES = s.named("UserRoles", s.object<UserRoles>()({ userId: s.string(), roles: ROLE_LIST }));

const USER_DATA_RECORD = s.anyObject<UserDataRecord>("One record the service holds of the user, in its stored shape");
/** A service's part of the archive: named lists of records, one record, or null (lib/contracts/user-data.ts). */
const USER_DATA_SECTION = s.named(
  "UserDataSection",
  s.record(s.nullable(s.oneOf(s.array(USER_DATA_RECORD), USER_DATA_RECORD))),
);

/** One optional section per exporting service; an unknown service name is refused. */
export const ACCOUNT_EXPORT = s.named(
  "AccountExport",
  s.object<AccountExport>()({
    userId: s.string(),
    exportedAt: s.dateTime(),
    services: s.object<AccountExport["services"]>()(
      Object.fromEntries(USER_DATA_SERVICES.map((name) => [name, s.optional(USER_DATA_SECTION)])) as PropertySchemas<
        AccountExport["services"]
      >,
    ),
  }),
);

export const ACCOUNT_DELETED = s.object<AccountDeleted>()({ userId: s.string(), deleted: s.literal(true) });

export const KEY_ROTATED = s.object<{ kid: string }>()({ kid: s.string() });
