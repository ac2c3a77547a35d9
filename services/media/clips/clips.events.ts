/**
 * Events of the clips service. clip.created (the clip is playable) and
 * clip.deleted are durable: search indexes clips, notifications may tell a
 * broadcaster about a popular clip, analytics counts them.
 */
import type { ClipSourceKind } from "./clip.types";

export interface ClipCreated {
  clipId: string;
  channelId: string;
  /** Who clipped it. */
  ownerId: string;
  title: string;
  sourceKind: ClipSourceKind;
  videoId: string | null;
  sessionId: string | null;
  durationS: number;
  createdAt: string;
}

export interface ClipDeleted {
  clipId: string;
  channelId: string;
  ownerId: string;
  /** Who deleted it: the clipper, the channel's owner or a moderator, an admin. */
  deletedBy: string;
  deletedAt: string;
}

declare module "../../../mixins/durable-events/catalog" {
  interface DurableEventMap {
    "clip.created": ClipCreated;
    "clip.deleted": ClipDeleted;
  }
}

export interface ClipJobQueued {
  clipId: string;
}

declare module "../../../lib/contracts/events" {
  interface PlainEventMap {
    /** A clip was requested: idle clip workers on any node look now rather than at their next poll. */
    "clips.job.queued": ClipJobQueued;
  }
}
