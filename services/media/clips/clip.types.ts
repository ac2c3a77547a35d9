import type { BaseDocument } from "../../../mixins/db";

export const CLIP_STATUSES = ["queued", "processing", "ready", "failed"] as const;
export type ClipStatus = (typeof CLIP_STATUSES)[number];
export type ClipSourceKind = "live" | "vod";
/** How the clip was cut: stream copy from a keyframe, or re-encoded from an exact start. */
export type CutMethod = "copy" | "reencode";

/** A clip is its own processing job: the row carries the lease (clip-worker.ts). */
export interface ClipDoc extends BaseDocument {
  channelId: string;
  /** Who clipped it. */
  ownerId: string;
  ownerName: string;
  title: string;
  sourceKind: ClipSourceKind;
  sessionId: string | null;
  videoId: string | null;
  /** Storage key of the input (a live recording part, or a VOD's source). */
  sourceKey: string;
  /** VOD: offset of the clip in the video. Live: set when cut (offset in the recording part). */
  startS: number | null;
  durationS: number;
  /** Live: the clip ends at the live edge as of this instant. */
  requestedAt: Date;
  status: ClipStatus;
  method: CutMethod | null;
  storageKey: string | null;
  thumbnailKey: string | null;
  sizeBytes: number | null;
  viewCount: number;
  failureReason: string | null;
  attempts: number;
  leaseOwner: string | null;
  leaseUntil: Date | null;
  /** Ready (or failed) at. */
  finishedAt: Date | null;
}

/**
 * What a clip row holds for our cut worker and storage, not for the user, left out of their data export: the
 * storage keys of its input, output and thumbnail, and the job's attempts and lease.
 */
export const CLIP_BOOKKEEPING = [
  "sourceKey",
  "storageKey",
  "thumbnailKey",
  "attempts",
  "leaseOwner",
  "leaseUntil",
] as const;

export interface ClipViewDoc extends BaseDocument {
  clipId: string;
  viewerKey: string;
  lastCountedAt: Date;
}

/** A point in a live session the broadcaster or a moderator marked; it becomes a chapter of the VOD. */
export interface MarkerDoc extends BaseDocument {
  channelId: string;
  sessionId: string;
  /** Seconds from the start of the session. */
  offsetS: number;
  description: string;
  createdBy: string;
}

export interface ClipView {
  id: string;
  channelId: string;
  ownerId: string;
  ownerName: string;
  title: string;
  sourceKind: ClipSourceKind;
  sessionId: string | null;
  videoId: string | null;
  startS: number | null;
  durationS: number;
  status: ClipStatus;
  method: CutMethod | null;
  viewCount: number;
  failureReason: string | null;
  /** Signed thumbnail URL once ready. */
  thumbnailUrl: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface ClipPlayback {
  clipId: string;
  url: string;
  thumbnailUrl: string | null;
  expiresAt: string;
  viewCounted: boolean;
  viewCount: number;
}

export interface MarkerView {
  id: string;
  channelId: string;
  sessionId: string;
  offsetS: number;
  description: string;
  createdBy: string;
  createdAt: string;
}

/** A marker as a VOD chapter (the same shape the tournaments chapters route returns). */
export interface MarkerChapter {
  videoId: string;
  markerId: string;
  title: string;
  startS: number;
  endS: number;
}
