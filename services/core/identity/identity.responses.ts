import { ROLES } from "../../../lib/auth/auth-user";
import { s } from "../../../lib/http/response-schema";
import { CHANNELS_USER_DATA } from "../channels/channels.responses";
import { USERS_USER_DATA } from "../users/users.responses";
import { SCHEDULES_USER_DATA } from "../schedules/schedules.responses";
import { MODERATION_USER_DATA } from "../moderation/moderation.responses";
import { TOURNAMENTS_USER_DATA } from "../../content/tournaments/tournaments.responses";
import { BLOG_USER_DATA } from "../../content/blog/blog.responses";
import { VIDEOS_USER_DATA } from "../../media/videos/videos.responses";
import { STREAMS_USER_DATA } from "../../media/streams/streams.responses";
import { CLIPS_USER_DATA } from "../../media/clips/clips.responses";
import { CHAT_USER_DATA } from "../../media/chat/chat.responses";
import type { AccountDeleted } from "./account-deletion";
import type {
  AccountExport,
  ExportedAccount,
  ExportedDevice,
  ExportedSession,
  IdentityUserData,
} from "./account-export";
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

/** identity's section: the account without its secrets, sessions, devices, and the suspension without who did it or its version. */
export const IDENTITY_USER_DATA = s.named(
  "IdentityUserData",
  s.object<IdentityUserData>()({
    account: s.nullable(
      s.named(
        "AccountRecord",
        s.object<ExportedAccount>()({
          id: s.string(),
          email: s.string(),
          username: s.string(),
          roles: ROLE_LIST,
          mfaEnabled: s.boolean(),
          emailVerifiedAt: s.nullable(s.date()),
          createdAt: s.date(),
        }),
      ),
    ),
    sessions: s.array(
      s.named(
        "SessionRecord",
        s.object<ExportedSession>()({
          id: s.string(),
          createdAt: s.date(),
          expiresAt: s.date(),
          revokedAt: s.nullable(s.date()),
        }),
      ),
    ),
    devices: s.array(
      s.named(
        "DeviceRecord",
        s.object<ExportedDevice>()({ userAgent: s.string(), firstSeenAt: s.date(), lastSeenAt: s.date() }),
      ),
    ),
    suspension: s.named(
      "SuspensionRecord",
      s.object<IdentityUserData["suspension"]>()({
        userId: s.string(),
        suspended: s.boolean(),
        reason: s.nullable(s.string()),
        reportId: s.nullable(s.string()),
        suspendedAt: s.nullable(s.dateTime()),
        liftedAt: s.nullable(s.dateTime()),
      }),
    ),
  }),
);

/** One optional section per exporting service (a service not deployed is absent); an unknown service name is refused. */
export const ACCOUNT_EXPORT = s.named(
  "AccountExport",
  s.object<AccountExport>()({
    userId: s.string(),
    exportedAt: s.dateTime(),
    services: s.object<AccountExport["services"]>()({
      blog: s.optional(BLOG_USER_DATA),
      channels: s.optional(CHANNELS_USER_DATA),
      chat: s.optional(CHAT_USER_DATA),
      clips: s.optional(CLIPS_USER_DATA),
      identity: s.optional(IDENTITY_USER_DATA),
      moderation: s.optional(MODERATION_USER_DATA),
      schedules: s.optional(SCHEDULES_USER_DATA),
      streams: s.optional(STREAMS_USER_DATA),
      tournaments: s.optional(TOURNAMENTS_USER_DATA),
      users: s.optional(USERS_USER_DATA),
      videos: s.optional(VIDEOS_USER_DATA),
    }),
  }),
);

export const ACCOUNT_DELETED = s.object<AccountDeleted>()({ userId: s.string(), deleted: s.literal(true) });

export const KEY_ROTATED = s.object<{ kid: string }>()({ kid: s.string() });
