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

declare module "../../../mixins/durable-events/catalog" {
  interface DurableEventMap {
    "channel.created": ChannelCreated;
    "channel.updated": ChannelUpdated;
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
    /** An admin suspended the channel; ingest drops its live broadcaster. */
    "channels.suspended": ChannelSuspended;
  }
}
