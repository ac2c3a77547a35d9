/** Durable events the channels service publishes, and its plain broadcasts. */
import type { ChannelMetadata } from "./channel-view";
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

declare module "../../../mixins/durable-events/catalog" {
  interface DurableEventMap {
    "channel.created": ChannelCreated;
    "channel.updated": ChannelUpdated;
  }
}

/** Plain broadcast: realtime nodes keep each channel's chat policy in memory. */
export const MODERATION_CHANGED_EVENT = "channels.moderation.changed";
export interface ChatPolicy {
  channelId: string;
  ownerId: string;
  moderatorIds: string[];
  vipIds: string[];
}

/** Plain broadcast: ingest drops a live connection whose key was just rotated. */
export const STREAM_KEY_ROTATED_EVENT = "channels.streamKey.rotated";
export interface StreamKeyRotated {
  channelId: string;
}

/** Plain broadcast: an admin suspended the channel; ingest drops its live broadcaster. */
export const CHANNEL_SUSPENDED_EVENT = "channels.suspended";
export interface ChannelSuspended {
  channelId: string;
}
