import { cursorPageSchema, s, STORED_DOCUMENT_FIELDS, type PropertySchemas } from "../../../lib/http/response-schema";
import { CHANNEL } from "../channels/channels.responses";
import type { PrivateProfile, PublicProfile, UserPreferences } from "./profile";
import type {
  BlockedUser,
  ExportedProfile,
  FollowedChannel,
  Follower,
  FollowState,
  UsersUserData,
} from "./users.contract";
import type { BlockDoc, FollowDoc, NotificationSettings, ProfileLink } from "./users.entities";

/** Response bodies of profile, follow and block routes, typed by the actions' results (users.routes.ts). */
const PROFILE_FIELDS: PropertySchemas<PublicProfile> = {
  id: s.string(),
  username: s.string(),
  displayName: s.string(),
  bio: s.string(),
  avatarUrl: s.nullable(s.string()),
  links: s.array(s.object<ProfileLink>()({ label: s.string(), url: s.string() })),
  followingCount: s.integer(),
  createdAt: s.dateTime(),
};

const NOTIFICATION_SETTINGS = s.object<NotificationSettings>()({
  email: s.boolean(),
  push: s.boolean(),
  liveAlerts: s.boolean(),
  followerAlerts: s.boolean(),
});

export const PUBLIC_PROFILE = s.named("PublicProfile", s.object<PublicProfile>()(PROFILE_FIELDS));

export const PRIVATE_PROFILE = s.named(
  "PrivateProfile",
  s.object<PrivateProfile>()({
    ...PROFILE_FIELDS,
    email: s.nullable(s.string()),
    preferences: s.object<UserPreferences>()({
      language: s.string(),
      notifications: NOTIFICATION_SETTINGS,
    }),
  }),
);

export const FOLLOW_STATE = s.named(
  "FollowState",
  s.object<FollowState>()({ channelId: s.string(), following: s.boolean(), followedAt: s.nullable(s.dateTime()) }),
);

export const FOLLOWING_PAGE = cursorPageSchema(
  "FollowedChannel",
  s.named("FollowedChannel", s.object<FollowedChannel>()({ channel: CHANNEL, followedAt: s.dateTime() })),
);

export const FOLLOWERS_PAGE = cursorPageSchema(
  "Follower",
  s.named("Follower", s.object<Follower>()({ user: PUBLIC_PROFILE, followedAt: s.dateTime() })),
);

export const BLOCKS_PAGE = cursorPageSchema(
  "BlockedUser",
  s.named("BlockedUser", s.object<BlockedUser>()({ user: PUBLIC_PROFILE, blockedAt: s.dateTime() })),
);

export const BLOCKED = s.object<{ userId: string; blocked: true }>()({ userId: s.string(), blocked: s.literal(true) });
export const UNBLOCKED = s.object<{ userId: string; blocked: false }>()({
  userId: s.string(),
  blocked: s.literal(false),
});

/** users' section of GET /me/export: the stored rows, field by field (no identity-provider subject). */
export const USERS_USER_DATA = s.named(
  "UsersUserData",
  s.object<UsersUserData>()({
    profile: s.nullable(
      s.named(
        "UserProfileRecord",
        s.object<ExportedProfile>()({
          ...STORED_DOCUMENT_FIELDS,
          username: s.string(),
          email: s.nullable(s.string()),
          displayName: s.string(),
          bio: s.string(),
          avatarUrl: s.nullable(s.string()),
          links: s.array(s.object<ProfileLink>()({ label: s.string(), url: s.string() })),
          language: s.string(),
          notifications: NOTIFICATION_SETTINGS,
          followingCount: s.integer(),
        }),
      ),
    ),
    follows: s.array(
      s.named(
        "UserFollowRecord",
        s.object<FollowDoc>()({ ...STORED_DOCUMENT_FIELDS, userId: s.string(), channelId: s.string() }),
      ),
    ),
    blocks: s.array(
      s.named(
        "UserBlockRecord",
        s.object<BlockDoc>()({ ...STORED_DOCUMENT_FIELDS, userId: s.string(), blockedUserId: s.string() }),
      ),
    ),
  }),
);
