/** Durable events the users service publishes. */
import type { NotificationSettings } from "./users.entities";

export interface UserUpdated {
  userId: string;
  /** Names of the profile fields that changed (public ones only; preferences are private). */
  changed: string[];
  displayName: string;
  avatarUrl: string | null;
  updatedAt: string;
}

/**
 * A profile was created (users.provision for local accounts, the
 * user.registered backstop, a Keycloak subject's first request): once per
 * user, whichever path created it. Search indexes the person from it.
 */
export interface UserProvisioned {
  userId: string;
  username: string;
  displayName: string;
  createdAt: string;
}

/**
 * The user changed their notification switches (PATCH /me/preferences
 * `notifications`); notifications writes them into its per-type preferences.
 * Ordered per user (preferencesEventKey).
 */
export interface UserPreferencesChanged {
  userId: string;
  /** All the switches as they now are. */
  notifications: NotificationSettings;
  /** The switches this change turned. */
  changed: (keyof NotificationSettings)[];
  changedAt: string;
}

export function preferencesEventKey(userId: string): string {
  return `preferences:${userId}`;
}

export interface ChannelFollowed {
  userId: string;
  channelId: string;
  followedAt: string;
}

export interface ChannelUnfollowed {
  userId: string;
  channelId: string;
  unfollowedAt: string;
}

/**
 * Ordering key of channel.followed / channel.unfollowed: one follow (user,
 * channel). Consumers order the two types against each other per follow.
 */
export function followEventKey(userId: string, channelId: string): string {
  return `follow:${userId}:${channelId}`;
}

declare module "../../../mixins/durable-events/catalog" {
  interface DurableEventMap {
    "user.updated": UserUpdated;
    "user.provisioned": UserProvisioned;
    "user.preferences.changed": UserPreferencesChanged;
    "channel.followed": ChannelFollowed;
    "channel.unfollowed": ChannelUnfollowed;
  }
}

/**
 * Plain signal after a block or unblock commits: both users' block relations
 * changed, so search (which caches them per user for a few seconds) drops them.
 */
export interface UserBlocksChanged {
  userIds: string[];
}

declare module "../../../lib/contracts/events" {
  interface PlainEventMap {
    "users.blocks.changed": UserBlocksChanged;
  }
}
