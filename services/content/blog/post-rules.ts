/** Pure rules of the blog: slugs, tags, who sees what, how a post is shown and announced. */
import type { PostEventBody } from "./blog.events";
import {
  SITE_BLOG,
  type BlogCommentDoc,
  type CommentView,
  type PostDoc,
  type PostRevisionDoc,
  type PostSummaryView,
  type PostView,
  type RevisionView,
} from "./post.types";

export const SLUG_MAX_LENGTH = 96;
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** A readable, URL-safe slug from a title: ASCII letters and digits joined by hyphens. */
export function slugify(title: string): string {
  const slug = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, SLUG_MAX_LENGTH - 8)
    .replace(/-+$/g, "");
  return slug || "post";
}

/** Candidates for an automatic slug: the slug itself, then -2, -3 … */
export function slugCandidate(base: string, attempt: number): string {
  return attempt === 0 ? base : `${base}-${attempt + 1}`;
}

/** The stored id of a slug claim: unique per blog, so two posts can never hold one slug. */
export function slugId(blogId: string, slug: string): string {
  return `${blogId}|${slug}`;
}

export function channelOf(blogId: string): string | null {
  return blogId === SITE_BLOG ? null : blogId;
}

/** Published posts are readable by anyone; drafts and scheduled posts only by the blog's writers. */
export function isReadable(post: Pick<PostDoc, "status">, isWriter: boolean): boolean {
  return post.status === "published" || isWriter;
}

export function postUrl(publicUrl: string, post: Pick<PostDoc, "blogId" | "slug">): string {
  return `${publicUrl}/blog/${encodeURIComponent(post.blogId)}/${encodeURIComponent(post.slug)}`;
}

export function coverUrl(publicUrl: string, post: Pick<PostDoc, "coverKey">): string | null {
  // Keys are blog/covers/<postId>/<hash>.<ext>; the URL is served by blog.cover.
  return post.coverKey ? `${publicUrl}/api/v1/${post.coverKey}` : null;
}

const iso = (d: Date | null): string | null => (d ? new Date(d).toISOString() : null);

export function toSummaryView(publicUrl: string, post: PostDoc): PostSummaryView {
  return {
    id: post.id,
    blogId: post.blogId,
    channelId: post.channelId,
    authorId: post.authorId,
    authorName: post.authorName,
    title: post.title,
    slug: post.slug,
    summary: post.summary,
    category: post.category,
    tags: post.tags ?? [],
    kind: post.kind,
    reviewScore: post.reviewScore,
    coverUrl: coverUrl(publicUrl, post),
    status: post.status,
    visibility: post.visibility,
    publishedAt: iso(post.publishedAt),
    scheduledAt: iso(post.scheduledAt),
    commentsClosed: post.commentsClosed,
    viewCount: post.viewCount,
    commentCount: post.commentCount,
    revision: post.revision,
    version: post.version,
    url: postUrl(publicUrl, post),
    createdAt: new Date(post.createdAt).toISOString(),
    updatedAt: new Date(post.changedAt).toISOString(),
  };
}

/** The whole post; writers also get the markdown they edit. */
export function toPostView(publicUrl: string, post: PostDoc, isWriter: boolean): PostView {
  const view: PostView = { ...toSummaryView(publicUrl, post), html: post.bodyHtml };
  if (isWriter) view.markdown = post.bodyMarkdown;
  return view;
}

export function toRevisionView(rev: PostRevisionDoc): RevisionView {
  return {
    postId: rev.postId,
    revision: rev.revision,
    editorId: rev.editorId,
    title: rev.title,
    summary: rev.summary,
    bodyMarkdown: rev.bodyMarkdown,
    category: rev.category,
    tags: rev.tags ?? [],
    kind: rev.kind,
    reviewScore: rev.reviewScore,
    createdAt: new Date(rev.createdAt).toISOString(),
  };
}

export function postEventBody(publicUrl: string, post: PostDoc): PostEventBody {
  return {
    postId: post.id,
    blogId: post.blogId,
    channelId: post.channelId,
    authorId: post.authorId,
    authorName: post.authorName,
    title: post.title,
    slug: post.slug,
    summary: post.summary,
    category: post.category,
    tags: post.tags ?? [],
    kind: post.kind,
    reviewScore: post.reviewScore,
    visibility: post.visibility,
    url: postUrl(publicUrl, post),
    version: post.version,
    updatedAt: new Date(post.changedAt).toISOString(),
  };
}

/** Hidden, deleted and removed comments keep their place in the thread but lose body and author. */
export function toCommentView(comment: BlogCommentDoc, showHidden = false): CommentView {
  const hidden = comment.status !== "visible" && !(showHidden && comment.status === "hidden");
  return {
    id: comment.id,
    postId: comment.postId,
    authorId: hidden ? null : comment.authorId,
    authorName: hidden ? null : comment.authorName,
    parentId: comment.parentId,
    rootId: comment.rootId,
    depth: comment.depth,
    body: hidden ? "" : comment.body,
    status: comment.status,
    edited: !!comment.editedAt,
    replyCount: comment.replyCount,
    createdAt: new Date(comment.createdAt).toISOString(),
  };
}

/** An author edits their visible comment within the window. */
export function canEditComment(
  userId: string,
  comment: Pick<BlogCommentDoc, "authorId" | "status" | "createdAt">,
  windowMs: number,
  now = Date.now(),
): "ok" | "not-author" | "window-closed" {
  if (comment.authorId !== userId || comment.status !== "visible") return "not-author";
  return now - new Date(comment.createdAt).getTime() <= windowMs ? "ok" : "window-closed";
}
