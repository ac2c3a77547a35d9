/** fastest-validator schemas of every users action, with the params type each one yields. */
import { CURSOR_PAGE_PARAMS, type CursorPageParams } from "../../../lib/pagination";
import { ID, IDS } from "../../../lib/validation";
import type { NotificationSettings, ProfileLink } from "./users.entities";

export const PROVISION = {
  id: ID,
  username: { type: "string", min: 1, max: 64 },
  displayName: { type: "string", min: 1, max: 50, optional: true },
  email: { type: "string", max: 254, optional: true, nullable: true },
} as const;
export interface ProvisionParams {
  id: string;
  username: string;
  displayName?: string;
  email?: string | null;
}

/** The subject becomes the user id, so it follows the id rule (Keycloak subjects are UUIDs). */
export const PROVISION_EXTERNAL = {
  subject: ID,
  username: { type: "string", max: 255, optional: true },
  email: { type: "string", max: 254, optional: true },
} as const;
export interface ProvisionExternalParams {
  subject: string;
  username?: string;
  email?: string;
}

export const BY_ID = { id: ID } as const;
export interface ByIdParams {
  id: string;
}

/** Usernames are stored lower-cased; Keycloak-provisioned ones may be up to 255 characters. */
export const BY_USERNAME = { username: { type: "string", min: 1, max: 255 } } as const;
export interface ByUsernameParams {
  username: string;
}

export const BY_IDS = { ids: IDS } as const;
export interface ByIdsParams {
  ids: string[];
}

export const NONE = {} as const;
export type NoParams = Record<string, never>;

export const UPDATE_PROFILE = {
  displayName: { type: "string", min: 1, max: 50, optional: true },
  bio: { type: "string", max: 500, optional: true },
  avatarUrl: { type: "string", max: 500, optional: true, nullable: true },
  links: {
    type: "array",
    max: 5,
    optional: true,
    items: {
      type: "object",
      strict: "remove",
      props: { label: { type: "string", min: 1, max: 40 }, url: { type: "string", max: 300 } },
    },
  },
  $$strict: "remove",
} as const;
export interface UpdateProfileParams {
  displayName?: string;
  bio?: string;
  avatarUrl?: string | null;
  links?: ProfileLink[];
}

export const UPDATE_PREFERENCES = {
  language: { type: "string", pattern: "^[a-z]{2}(-[A-Z]{2})?$", optional: true },
  notifications: {
    type: "object",
    optional: true,
    strict: "remove",
    props: {
      email: { type: "boolean", optional: true },
      push: { type: "boolean", optional: true },
      liveAlerts: { type: "boolean", optional: true },
      followerAlerts: { type: "boolean", optional: true },
    },
  },
  $$strict: "remove",
} as const;
export interface UpdatePreferencesParams {
  language?: string;
  notifications?: Partial<NotificationSettings>;
}

export const BY_CHANNEL = { channelId: ID } as const;
export interface ByChannelParams {
  channelId: string;
}

export const GET_FOLLOW = { userId: ID, channelId: ID } as const;
export interface GetFollowParams {
  userId: string;
  channelId: string;
}

export const PAGE = { ...CURSOR_PAGE_PARAMS } as const;
export type PageParams = CursorPageParams;

export const FOLLOWING = { userId: ID, ...CURSOR_PAGE_PARAMS } as const;
export interface FollowingParams extends CursorPageParams {
  userId: string;
}

export const FOLLOWERS = { channelId: ID, ...CURSOR_PAGE_PARAMS } as const;
export interface FollowersParams extends CursorPageParams {
  channelId: string;
}

/**
 * Keyset pages of follower ids (by user id) for fan-out: a page costs an
 * index seek however deep, and a fan-out resumed after a crash continues
 * after the last id it committed.
 */
export const FOLLOWER_BATCH = {
  channelId: ID,
  after: { type: "string", max: 200, optional: true },
  limit: { type: "number", integer: true, min: 1, max: 10000, optional: true, convert: true },
} as const;
export interface FollowerBatchParams {
  channelId: string;
  /** The `after` of the previous page; omit for the first. */
  after?: string;
  limit?: number;
}

/** Internal batch check: which of `ids` has `userId` blocked. */
export const BLOCKED_AMONG = { userId: ID, ids: IDS } as const;
export interface BlockedAmongParams {
  userId: string;
  ids: string[];
}

/** Internal batch: the block relations (both ways) of each of `userIds`. */
export const BLOCK_RELATIONS = { userIds: IDS } as const;
export interface BlockRelationsParams {
  userIds: string[];
}

export const BY_USER = { userId: ID } as const;
export interface ByUserParams {
  userId: string;
}
