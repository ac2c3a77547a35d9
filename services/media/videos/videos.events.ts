/**
 * Durable events the videos service publishes. Search indexes published
 * videos and drops deleted ones; notifications tell followers about new
 * VODs and creators about comments; analytics counts all of them.
 */
import type { VideoMetadata, Visibility } from "./video.types";

export interface VideoCreated {
  videoId: string;
  channelId: string;
  ownerId: string;
  title: string;
  origin: "upload" | "recording";
  visibility: Visibility;
  createdAt: string;
}

/** After transcoding: the video is playable. */
export interface VideoPublished extends VideoMetadata {
  videoId: string;
  durationS: number;
  liveSessionId: string | null;
  publishedAt: string;
}

/**
 * Owner changed metadata or visibility. Search must drop a video that became
 * private and re-index a renamed one; `status` says whether it is playable.
 */
export interface VideoUpdated extends VideoMetadata {
  videoId: string;
  status: "awaiting_upload" | "processing" | "ready" | "failed";
  updatedAt: string;
}

export interface VideoDeleted {
  videoId: string;
  channelId: string;
  ownerId: string;
  deletedAt: string;
}

export interface CommentCreated {
  commentId: string;
  videoId: string;
  channelId: string;
  /** Channel owner: who a notification about the comment goes to. */
  videoOwnerId: string;
  authorId: string;
  parentId: string | null;
  /** Author of the parent comment, for reply notifications. */
  parentAuthorId: string | null;
  body: string;
  createdAt: string;
}

declare module "../../../mixins/durable-events/catalog" {
  interface DurableEventMap {
    "video.created": VideoCreated;
    "video.published": VideoPublished;
    "video.updated": VideoUpdated;
    "video.deleted": VideoDeleted;
    "comment.created": CommentCreated;
  }
}

export interface VideoJobQueued {
  videoId: string;
}

/** A view that counted (once per viewer per window), for analytics. */
export interface VideoViewed {
  viewId: string;
  videoId: string;
  channelId: string;
  /** lib/views viewerKey: the user id or a salted hash of the address; analytics re-hashes it with its daily key. */
  viewerKey: string;
  viewedAt: string;
}

declare module "../../../lib/contracts/events" {
  interface PlainEventMap {
    "video.viewed": VideoViewed;
    /** A processing job was queued: idle workers on any node look now rather than at their next poll. */
    "videos.job.queued": VideoJobQueued;
  }
}
