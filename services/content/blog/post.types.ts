import type { BaseDocument } from "../../../mixins/db";
import type { CommentViewBase } from "../../../lib/comments/comment-view";

/** The site blog's id; a channel's blog is named by the channel id. */
export const SITE_BLOG = "site";

export const POST_KINDS = ["news", "review", "guide"] as const;
export type PostKind = (typeof POST_KINDS)[number];

/** draft → (scheduled →) published; unpublishing returns a post to draft. */
export const POST_STATUSES = ["draft", "scheduled", "published"] as const;
export type PostStatus = (typeof POST_STATUSES)[number];

/** Unlisted posts are readable by link but stay out of listings, feeds and search. */
export const POST_VISIBILITIES = ["public", "unlisted"] as const;
export type PostVisibility = (typeof POST_VISIBILITIES)[number];

/** What a writer edits; every revision keeps a copy of it. */
export interface PostContent {
  title: string;
  summary: string;
  /** Raw markdown as written: the source of truth, re-rendered on a sanitizer upgrade. */
  bodyMarkdown: string;
  category: string | null;
  tags: string[];
  kind: PostKind;
  /** Reviews only: 0-10. */
  reviewScore: number | null;
}

export interface PostDoc extends BaseDocument, PostContent {
  /** "site" or the channel id. */
  blogId: string;
  channelId: string | null;
  authorId: string;
  authorName: string;
  slug: string;
  /** Sanitized HTML rendered from bodyMarkdown on write. */
  bodyHtml: string;
  /** Renderer version bodyHtml was made with (blog.rerender redoes older ones). */
  renderedWith: string;
  coverKey: string | null;
  status: PostStatus;
  visibility: PostVisibility;
  publishedAt: Date | null;
  scheduledAt: Date | null;
  commentsClosed: boolean;
  viewCount: number;
  commentCount: number;
  /** Number of the latest revision. */
  revision: number;
  /** Grows on every change: consumers of post.* events keep the highest they saw. */
  version: number;
  /** Last change readers can see (content, status, cover): feeds' Last-Modified. Views and counts leave it alone. */
  changedAt: Date;
}

/**
 * What a post row holds for our storage and renderer, not for the author, left out of their data export: the
 * cover's storage key and the renderer version its HTML was made with.
 */
export const POST_BOOKKEEPING = ["coverKey", "renderedWith"] as const;

/** Every slug a post ever had in its blog: the current one, and old ones that redirect. */
export interface PostSlugDoc extends BaseDocument {
  blogId: string;
  slug: string;
  postId: string;
}

export interface PostRevisionDoc extends BaseDocument, PostContent {
  postId: string;
  revision: number;
  editorId: string;
}

/** Durable timer: a scheduled publication, fired by whichever node polls first after it is due. */
export interface PublishTimerDoc extends BaseDocument {
  postId: string;
  dueAt: Date;
  state: "pending" | "done" | "cancelled";
  attempts: number;
  leaseOwner: string | null;
  leaseUntil: Date | null;
  lastError: string | null;
}

export interface BlogEditorDoc extends BaseDocument {
  channelId: string;
  userId: string;
  addedBy: string;
}

export interface PostViewDoc extends BaseDocument {
  postId: string;
  viewerKey: string;
  lastCountedAt: Date;
}

export const COMMENT_STATUSES = ["visible", "hidden", "deleted", "removed"] as const;
export type CommentStatus = (typeof COMMENT_STATUSES)[number];

export interface BlogCommentDoc extends BaseDocument {
  postId: string;
  blogId: string;
  channelId: string | null;
  authorId: string;
  authorName: string;
  parentId: string | null;
  rootId: string | null;
  depth: number;
  body: string;
  status: CommentStatus;
  editedAt: Date | null;
  /** Who hid or removed it (moderation), null for the author's own delete. */
  moderatedBy: string | null;
  replyCount: number;
}

/** What readers see of a post. */
export interface PostView {
  id: string;
  blogId: string;
  channelId: string | null;
  authorId: string;
  authorName: string;
  title: string;
  slug: string;
  summary: string;
  html: string;
  category: string | null;
  tags: string[];
  kind: PostKind;
  reviewScore: number | null;
  coverUrl: string | null;
  status: PostStatus;
  visibility: PostVisibility;
  publishedAt: string | null;
  scheduledAt: string | null;
  commentsClosed: boolean;
  viewCount: number;
  commentCount: number;
  revision: number;
  version: number;
  /** Absolute link of the post's page. */
  url: string;
  createdAt: string;
  updatedAt: string;
  /** Writers of the blog only: the markdown source. */
  markdown?: string;
}

/** A listing entry: the post without its body. */
export type PostSummaryView = Omit<PostView, "html" | "markdown">;

export interface RevisionView extends PostContent {
  postId: string;
  revision: number;
  editorId: string;
  createdAt: string;
}

export interface CommentView extends CommentViewBase<CommentStatus> {
  postId: string;
}
