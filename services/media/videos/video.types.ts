import type { BaseDocument } from "../../../mixins/db";
import type { CommentViewBase } from "../../../lib/comments/comment-view";
import type { CursorPage } from "../../../lib/pagination";
import type { RenditionOutput } from "../../../lib/transcoding";

export const VISIBILITIES = ["public", "unlisted", "private"] as const;
export type Visibility = (typeof VISIBILITIES)[number];

/**
 * awaiting_upload → processing → ready | failed. A failed video keeps its
 * reason for the owner; a new upload starts it over.
 */
export const VIDEO_STATUSES = ["awaiting_upload", "processing", "ready", "failed"] as const;
export type VideoStatus = (typeof VIDEO_STATUSES)[number];

/** What describes a video wherever it travels: stored, shown, or in events. */
export interface VideoMetadata {
  channelId: string;
  ownerId: string;
  title: string;
  description: string;
  category: string | null;
  tags: string[];
  visibility: Visibility;
}

export interface VideoDoc extends BaseDocument, VideoMetadata {
  status: VideoStatus;
  origin: "upload" | "recording";
  /** Recording id from the live pipeline; unique, which makes recording → VOD idempotent. */
  sourceId: string | null;
  liveSessionId: string | null;
  sourceKey: string | null;
  sourceBytes: number | null;
  sourceType: string | null;
  durationS: number | null;
  width: number | null;
  height: number | null;
  masterPlaylistKey: string | null;
  renditions: RenditionOutput[];
  thumbnailKey: string | null;
  failureReason: string | null;
  viewCount: number;
  commentCount: number;
  publishedAt: Date | null;
  /**
   * Where the video sits in listings (GET /videos sorts and cursors): its
   * publication time once published, its creation time before (drafts have no
   * publishedAt, and a keyset needs a key that is never null). Internal.
   */
  listedAt: Date;
}

/**
 * What a video row holds for our pipeline, not for the user, left out of their data export: the recording id
 * that makes recording → VOD idempotent, the storage keys of the source, playlist and thumbnail, and the listing
 * key (their publication or creation time, both exported). Renditions lose their playlist keys the same way.
 */
export const VIDEO_BOOKKEEPING = ["sourceId", "sourceKey", "masterPlaylistKey", "thumbnailKey", "listedAt"] as const;

export const JOB_STATES = ["queued", "running", "succeeded", "failed"] as const;
export type JobState = (typeof JOB_STATES)[number];

/** One processing job per upload: durable, leased, retried. */
export interface VideoJobDoc extends BaseDocument {
  videoId: string;
  state: JobState;
  attempts: number;
  maxAttempts: number;
  /** Not picked before this time (retry backoff). */
  availableAt: Date;
  leaseOwner: string | null;
  /** Node that last claimed the job, kept once it ends: which node transcoded (or last tried). */
  workerNodeId: string | null;
  /** A running job whose lease passed belongs to a dead worker and is taken over. */
  leaseUntil: Date | null;
  /** Remote job id (MediaConvert), so a takeover follows it instead of resubmitting. */
  externalRef: string | null;
  lastError: string | null;
}

export interface VideoViewDoc extends BaseDocument {
  videoId: string;
  viewerKey: string;
  lastCountedAt: Date;
}

export const COMMENT_STATUSES = ["visible", "deleted", "removed"] as const;
export type CommentStatus = (typeof COMMENT_STATUSES)[number];

export interface CommentDoc extends BaseDocument {
  videoId: string;
  channelId: string;
  authorId: string;
  authorName: string;
  /** Direct parent (null for a top-level comment) and thread root, for one-query thread loads. */
  parentId: string | null;
  rootId: string | null;
  depth: number;
  body: string;
  status: CommentStatus;
  editedAt: Date | null;
  removedBy: string | null;
  replyCount: number;
}

/** What clients see of a video. Storage keys stay inside; playback goes through signed URLs. */
export interface VideoView extends VideoMetadata {
  id: string;
  status: VideoStatus;
  origin: "upload" | "recording";
  liveSessionId: string | null;
  durationS: number | null;
  width: number | null;
  height: number | null;
  renditions: { name: string; width: number; height: number; bandwidth: number }[];
  /** Signed, expiring URL of the thumbnail alone (ready videos). */
  thumbnailUrl: string | null;
  viewCount: number;
  commentCount: number;
  publishedAt: string | null;
  createdAt: string;
  updatedAt: string;
  /** Only for the owner (and admins): why processing failed. */
  failureReason?: string | null;
}

export interface CommentView extends CommentViewBase<CommentStatus> {
  videoId: string;
}

/** One page of comments (top level, or one thread's replies). */
export type CommentPage = CursorPage<CommentView>;
