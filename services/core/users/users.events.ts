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

declare module "../../../mixins/durable-events/catalog" {
  interface DurableEventMap {
    "user.updated": UserUpdated;
    "channel.followed": ChannelFollowed;
    "channel.unfollowed": ChannelUnfollowed;
  }
}
