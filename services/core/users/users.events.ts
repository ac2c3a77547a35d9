/** Durable events the users service publishes. */
export interface UserUpdated {
  userId: string;
  /** Names of the profile fields that changed (public ones only; preferences are private). */
  changed: string[];
  displayName: string;
  avatarUrl: string | null;
  updatedAt: string;
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
    "channel.followed": ChannelFollowed;
    "channel.unfollowed": ChannelUnfollowed;
  }
}
