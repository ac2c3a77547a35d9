import { sanitizeCommentText, sanitizePlainText } from "../../../lib/moderation";
import type { AuthUser } from "../../../lib/auth/auth-user";
import { isAdmin } from "../../../lib/auth/ownership";
import type { StoreQuery } from "../../../mixins/db";
import type { CursorKey, KeysetField } from "../../../lib/pagination";
import type { CommentDoc, CommentView, VideoDoc, VideoView, Visibility } from "./video.types";

export function isManager(user: AuthUser | undefined, video: Pick<VideoDoc, "ownerId">): boolean {
  return !!user && (user.id === video.ownerId || isAdmin(user));
}

/**
 * Who may open a video by id: the owner and admins always; others only once
 * it is ready and not private. Unlisted means "anyone with the link", so it
 * is viewable by id but never listed.
 */
export function canView(
  user: AuthUser | undefined,
  video: Pick<VideoDoc, "ownerId" | "visibility" | "status">,
): boolean {
  if (isManager(user, video)) return true;
  return video.status === "ready" && video.visibility !== "private";
}

/**
 * Listing filters (the tag already in its stored plain form): strangers see only ready public videos; the owner listing
 * their own channel sees everything, in every state.
 */
export function listingQuery(opts: {
  channelId?: string;
  category?: string;
  tag?: string;
  includeAll: boolean;
  visibility?: Visibility;
  status?: string;
}): StoreQuery {
  const query: StoreQuery = {};
  if (opts.channelId) query.channelId = opts.channelId;
  if (opts.category) query.category = opts.category;
  // An element of the JSON array (a GIN index on PostgreSQL: migrations/005_video_tags_gin.sql).
  if (opts.tag) query.tags = { $contains: opts.tag };
  if (opts.includeAll) {
    if (opts.visibility) query.visibility = opts.visibility;
    if (opts.status) query.status = opts.status;
  } else {
    query.visibility = "public";
    query.status = "ready";
  }
  return query;
}

/**
 * The listing sorts as keysets (lib/pagination/keyset-docs.ts). `listedAt`
 * is never null (publication time, or creation time for drafts), and the id
 * comes last, so equal keys keep one order and paging neither repeats nor
 * skips. The indexes follow these orders (migrations 003 to 005).
 */
const LISTED_DESC: KeysetField = { field: "listedAt", kind: "date", desc: true };
const ID: KeysetField = { field: "id", kind: "text", desc: false };
export const LISTING_ORDERS = {
  newest: [LISTED_DESC, ID],
  oldest: [{ field: "listedAt", kind: "date", desc: false }, ID],
  popular: [{ field: "viewCount", kind: "integer", desc: true }, LISTED_DESC, ID],
} as const satisfies Record<string, readonly KeysetField[]>;
export type VideoSort = keyof typeof LISTING_ORDERS;
export const VIDEO_SORTS = Object.keys(LISTING_ORDERS) as VideoSort[];

/** A video's cursor key in a sort: its values of the sort's fields, dates as ISO strings. */
export function listingKey(sort: VideoSort, video: Pick<VideoDoc, "id" | "listedAt" | "viewCount">): CursorKey {
  return LISTING_ORDERS[sort].map((f) =>
    f.field === "listedAt"
      ? new Date(video.listedAt).toISOString()
      : f.field === "viewCount"
        ? video.viewCount
        : video.id,
  );
}

export function toVideoView(
  video: VideoDoc,
  viewer: AuthUser | undefined,
  thumbnailUrl: string | null = null,
): VideoView {
  const view: VideoView = {
    id: video.id,
    channelId: video.channelId,
    ownerId: video.ownerId,
    // Stored text is sanitized on write; again here for rows written before that rule.
    title: sanitizePlainText(video.title),
    description: sanitizePlainText(video.description ?? ""),
    category: video.category,
    tags: video.tags ?? [],
    visibility: video.visibility,
    status: video.status,
    origin: video.origin,
    liveSessionId: video.liveSessionId,
    durationS: video.durationS,
    width: video.width,
    height: video.height,
    renditions: (video.renditions ?? []).map((r) => ({
      name: r.name,
      width: r.width,
      height: r.height,
      bandwidth: r.bandwidth,
    })),
    thumbnailUrl,
    viewCount: video.viewCount,
    commentCount: video.commentCount,
    publishedAt: video.publishedAt ? new Date(video.publishedAt).toISOString() : null,
    createdAt: new Date(video.createdAt).toISOString(),
    updatedAt: new Date(video.updatedAt).toISOString(),
  };
  if (isManager(viewer, video)) view.failureReason = video.failureReason;
  return view;
}

/** Deleted and removed comments keep their place in the thread but lose body and author. */
export function toCommentView(comment: CommentDoc): CommentView {
  const hidden = comment.status !== "visible";
  return {
    id: comment.id,
    videoId: comment.videoId,
    authorId: hidden ? null : comment.authorId,
    authorName: hidden ? null : comment.authorName,
    parentId: comment.parentId,
    rootId: comment.rootId,
    depth: comment.depth,
    body: hidden ? "" : sanitizeCommentText(comment.body),
    status: comment.status,
    edited: !!comment.editedAt,
    replyCount: comment.replyCount,
    createdAt: new Date(comment.createdAt).toISOString(),
  };
}
