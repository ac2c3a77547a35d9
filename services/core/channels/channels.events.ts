/** Durable events the channels service publishes, and its plain broadcasts. */
import type { ChatPolicy } from "../../../lib/moderation";
import type { ChannelMetadata } from "./channels.entities";

export interface ChannelCreated {
  channelId: string;
  ownerId: string;
  slug: string;
  title: string;
  category: string | null;
  createdAt: string;
}

export interface ChannelUpdated extends ChannelMetadata {
  channelId: string;
  /** Field names that changed. */
  changed: string[];
  updatedAt: string;
}

/**
 * A channel is gone (its owner's account was deleted): services holding data
 * of the channel (follows, sessions, videos, chat) drop it, idempotently.
 */
export interface ChannelDeleted {
  channelId: string;
  ownerId: string;
  slug: string;
  deletedAt: string;
}

/** An admin suspended a channel or lifted its suspension (channel.suspended / channel.unsuspended). */
export interface ChannelSuspensionChanged {
  channelId: string;
  ownerId: string;
  suspended: boolean;
  /** When the flag changed (ISO). */
  at: string;
}

/**
 * A channel's follower count moved (a follow or unfollow was counted). The
 * count is absolute; `followerVersion` grows by one with every move of that
 * channel's count (bumped in the same UPDATE), so of two of these events the
 * one with the higher version holds the newer count, whatever order they
 * arrive in.
 */
export interface ChannelFollowersChanged {
  channelId: string;
  followerCount: number;
  followerVersion: number;
  /** When the count moved (ISO). */
  changedAt: string;
}

/** Ordering key of channel.suspended / channel.unsuspended: one channel's suspension. */
export function suspensionKey(channelId: string): string {
  return `suspension:${channelId}`;
}

declare module "../../../mixins/durable-events/catalog" {
  interface DurableEventMap {
    "channel.created": ChannelCreated;
    "channel.suspended": ChannelSuspensionChanged;
    "channel.unsuspended": ChannelSuspensionChanged;
    "channel.updated": ChannelUpdated;
    "channel.deleted": ChannelDeleted;
    "channel.followers.changed": ChannelFollowersChanged;
  }
}

export interface StreamKeyRotated {
  channelId: string;
}

export interface ChannelSuspended {
  channelId: string;
}

declare module "../../../lib/contracts/events" {
  interface PlainEventMap {
    /**
     * The full policy after any moderator/VIP change: realtime nodes replace
     * (never patch) their in-memory copy, so a missed event heals at the next.
     */
    "channels.moderation.changed": ChatPolicy;
    /** Ingest drops a live connection whose key was just rotated. */
    "channels.streamKey.rotated": StreamKeyRotated;
    /** An admin suspended the channel (or its owner was deleted); ingest drops its live broadcaster. */
    "channels.suspended": ChannelSuspended;
  }
}
