/** What the users service stores (schema "users", migrations/), and its DbMixin config. */
import { join } from "node:path";
import { entity, type BaseDocument, type DbMixinOptions } from "../../../mixins/db";
import { DURABLE_EVENTS_MIGRATIONS } from "../../../mixins/durable-events";

export interface ProfileLink {
  label: string;
  url: string;
}

export interface NotificationSettings {
  email: boolean;
  push: boolean;
  liveAlerts: boolean;
  followerAlerts: boolean;
}

export const DEFAULT_NOTIFICATIONS: NotificationSettings = {
  email: true,
  push: true,
  liveAlerts: true,
  followerAlerts: true,
};

/** A user: profile, preferences and, for Keycloak users, the subject they were provisioned from. */
export interface UserDoc extends BaseDocument {
  /** Lower-cased, unique. */
  username: string;
  email: string | null;
  displayName: string;
  bio: string;
  avatarUrl: string | null;
  links: ProfileLink[];
  language: string;
  notifications: NotificationSettings;
  externalSubject: string | null;
  followingCount: number;
}

/**
 * What a profile row holds for our infrastructure, not for the user, left out of their data export: the subject
 * our identity provider (Keycloak) knows them by, from which the profile was provisioned.
 */
export const PROFILE_BOOKKEEPING = ["externalSubject"] as const;

/** Follows (user → channel) and blocks (user → user), keyed so that writing one twice is a no-op. */
export interface FollowDoc extends BaseDocument {
  userId: string;
  channelId: string;
}

export interface BlockDoc extends BaseDocument {
  userId: string;
  blockedUserId: string;
}

export function followId(userId: string, channelId: string): string {
  return `${userId}:${channelId}`;
}

export function blockId(userId: string, blockedUserId: string): string {
  return `${userId}:${blockedUserId}`;
}

export type UserModels = {
  profiles: UserDoc;
  follows: FollowDoc;
  blocks: BlockDoc;
};

const profiles = entity<UserDoc>()({
  table: "profiles",
  kind: "relational",
  fields: {
    username: { type: "string", required: true },
    email: { type: "string" },
    displayName: { type: "string", required: true },
    bio: { type: "text", default: "" },
    avatarUrl: { type: "string" },
    links: { type: "json", default: () => [] },
    language: { type: "string", default: "en" },
    notifications: { type: "json", default: () => ({}) },
    externalSubject: { type: "string" },
    followingCount: { type: "integer", default: 0 },
  },
});

const follows = entity<FollowDoc>()({
  table: "follows",
  kind: "relational",
  fields: { userId: { type: "string", required: true }, channelId: { type: "string", required: true } },
});

const blocks = entity<BlockDoc>()({
  table: "blocks",
  kind: "relational",
  fields: { userId: { type: "string", required: true }, blockedUserId: { type: "string", required: true } },
});

export const USERS_DB: DbMixinOptions = {
  schema: "users",
  primary: "profiles",
  entities: { profiles, follows, blocks },
  migrations: [{ name: "users", dir: join(__dirname, "migrations") }, DURABLE_EVENTS_MIGRATIONS],
};
