import { cursorPageSchema, s, type PropertySchemas } from "../../../lib/http/response-schema";
import { CHANNEL } from "../channels/channels.responses";
import type { PrivateProfile, PublicProfile, UserPreferences } from "./profile";
import type { BlockedUser, FollowedChannel, Follower, FollowState } from "./users.contract";
import type { NotificationSettings, ProfileLink } from "./users.entities";

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

export const PUBLIC_PROFILE = s.named("PublicProfile", s.object<PublicProfile>()(PROFILE_FIELDS));

export const PRIVATE_PROFILE = s.named(
  "PrivateProfile",
  s.object<PrivateProfile>()({
    ...PROFILE_FIELDS,
    email: s.nullable(s.string()),
    preferences: s.object<UserPreferences>()({
      language: s.string(),
      notifications: s.object<NotificationSettings>()({
        email: s.boolean(),
        push: s.boolean(),
        liveAlerts: s.boolean(),
        followerAlerts: s.boolean(),
      }),
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
