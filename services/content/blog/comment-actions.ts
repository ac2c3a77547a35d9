/**
 * Threaded comments on published posts: the one comment-text rule with the
 * channel's blocked terms (lib/moderation, shared with chat and VOD), a rate
 * limit per author, a per-post close switch, an edit window, deletion by the
 * author, hiding and removal by the blog's writers and channel moderators.
 */
import { Errors } from "moleculer";
import { requireUser } from "../../../lib/auth/ownership";
import { callAction } from "../../../lib/contracts";
import { ConflictError, ForbiddenError, NotFoundError, RateLimitedError, ValidationError } from "../../../lib/errors";
import { checkCommentText, COMMENT_REFUSAL_MESSAGES } from "../../../lib/moderation";
import { placeReply } from "../../../lib/comments/thread";
import { decodeCursor, pageLimit, toCursorPage, type CursorPage, type CursorPageParams } from "../../../lib/pagination";
import { checkLimit } from "../../../lib/rate-limit";
import type { BlogContext, BlogThis } from "./blog.context";
import { canModerateComments, isWriter } from "./blog-access";
import { canEditComment, toCommentView } from "./post-rules";
import type { BlogCommentDoc, CommentView, PostDoc } from "./post.types";
import { markCreated } from "../../../lib/http/response-meta";

export interface CreateCommentParams {
  postId: string;
  body: string;
  parentId?: string;
}

export interface ListCommentsParams extends CursorPageParams {
  postId: string;
  /** One thread's replies (oldest first); without it, top-level comments (newest first). */
  rootId?: string;
}

export interface CommentRef {
  postId: string;
  id: string;
}

async function loadPublished(svc: BlogThis, postId: string): Promise<PostDoc> {
  const post = await svc.stores.posts.findById(postId);
  if (!post || post.status !== "published") throw new NotFoundError("Post", postId);
  return post;
}

/**
 * The blocked terms for a post's comments: the channel's chat list (one list
 * for chat, VOD and blog comments), the configured site list on the site
 * blog. Without a chat service anywhere, comments pass unchecked (logged).
 */
async function blockedTerms(svc: BlogThis, ctx: BlogContext, post: PostDoc): Promise<string[]> {
  if (!post.channelId) return svc.settings.siteBlockedTerms;
  try {
    return (await callAction(ctx, "chat.getModeration", { channelId: post.channelId })).blockedTerms ?? [];
  } catch (err) {
    if (err instanceof Errors.ServiceNotFoundError) {
      svc.logger.warn(
        `chat service unavailable; blog comment on channel ${post.channelId} checked without blocked terms`,
      );
      return [];
    }
    throw err;
  }
}

async function checkedText(svc: BlogThis, ctx: BlogContext, post: PostDoc, raw: string): Promise<string> {
  const check = checkCommentText(raw, await blockedTerms(svc, ctx, post));
  if (!check.ok)
    throw new ValidationError(COMMENT_REFUSAL_MESSAGES[check.reason], [{ field: "body", message: check.reason }]);
  return check.text;
}

/** One atomic counter per author and window (Redis when clustered); a store outage lets comments through. */
async function enforceRateLimit(svc: BlogThis, authorId: string): Promise<void> {
  const limit = svc.settings.commentRateLimit;
  let decision;
  try {
    decision = await checkLimit(svc.commentLimits, `blog-comment:${authorId}`, limit.max, limit.windowMs);
  } catch (err) {
    svc.logger.warn(`blog comment rate limit store unavailable; comment by ${authorId} not counted: ${String(err)}`);
    return;
  }
  if (!decision.allowed) throw new RateLimitedError(decision.retryAfterS);
}

export async function createComment(svc: BlogThis, ctx: BlogContext<CreateCommentParams>): Promise<CommentView> {
  const user = requireUser(ctx);
  const post = await loadPublished(svc, ctx.params.postId);
  if (post.commentsClosed) throw new ConflictError("Comments are closed on this post");
  const body = await checkedText(svc, ctx, post, ctx.params.body);
  let parent: BlogCommentDoc | null = null;
  if (ctx.params.parentId) {
    parent = await svc.stores.comments.findById(ctx.params.parentId);
    if (!parent || parent.postId !== post.id) throw new NotFoundError("Comment", ctx.params.parentId, "parentId");
  }
  // Counted once the comment is acceptable, so refused attempts do not spend the allowance.
  await enforceRateLimit(svc, user.id);
  const place = placeReply(parent);
  const comment = await svc.db.transaction(async () => {
    const inserted = await svc.stores.comments.insert({
      postId: post.id,
      blogId: post.blogId,
      channelId: post.channelId,
      authorId: user.id,
      authorName: user.username,
      ...place,
      body,
      status: "visible",
      editedAt: null,
      moderatedBy: null,
      replyCount: 0,
    });
    await svc.stores.posts.increment(post.id, "commentCount", 1);
    if (place.parentId) await svc.stores.comments.increment(place.parentId, "replyCount", 1);
    await svc.publishDurable("post.comment.created", {
      commentId: inserted.id,
      postId: post.id,
      blogId: post.blogId,
      channelId: post.channelId,
      postAuthorId: post.authorId,
      postTitle: post.title,
      authorId: user.id,
      parentId: place.parentId,
      parentAuthorId: parent?.authorId ?? null,
      body: inserted.body,
      createdAt: inserted.createdAt.toISOString(),
    });
    return inserted;
  });
  // A comment has no read route of its own: its address is the one its edit and delete routes use.
  markCreated(ctx, `/blog/posts/${post.id}/comments/${comment.id}`);
  return toCommentView(comment);
}

export async function listComments(
  svc: BlogThis,
  ctx: BlogContext<ListCommentsParams>,
): Promise<CursorPage<CommentView>> {
  const post = await svc.stores.posts.findById(ctx.params.postId);
  // Only a draft's comments ask who the caller is: a published post's are everyone's to read.
  if (!post || (post.status !== "published" && !(await isWriter(svc, ctx, ctx.meta.user, post.blogId))))
    throw new NotFoundError("Post", ctx.params.postId);
  const limit = pageLimit(ctx.params);
  const thread = ctx.params.rootId !== undefined;
  const values: unknown[] = [post.id];
  let where = "post_id = $1 AND root_id IS NULL";
  if (thread) {
    values.push(ctx.params.rootId);
    where = "post_id = $1 AND root_id = $2";
  }
  if (ctx.params.cursor) {
    const [at, id] = decodeCursor(ctx.params.cursor, 2);
    values.push(String(at), String(id));
    where += ` AND (created_at, id) ${thread ? ">" : "<"} ($${values.length - 1}::timestamptz, $${values.length})`;
  }
  values.push(limit + 1);
  const order = thread ? "created_at ASC, id ASC" : "created_at DESC, id DESC";
  const rows = await svc.db.query<{ id: string }>(
    `SELECT id FROM post_comments WHERE ${where} ORDER BY ${order} LIMIT $${values.length}`,
    values,
  );
  const docs = new Map((await svc.stores.comments.findByIds(rows.map((r) => r.id))).map((c) => [c.id, c]));
  const ordered = rows.flatMap((r) => (docs.has(r.id) ? [docs.get(r.id) as BlogCommentDoc] : []));
  // Who the caller is matters only for a page holding a hidden comment (moderators see it).
  const anyHidden = ordered.some((c) => c.status === "hidden");
  const showHidden = anyHidden && ctx.meta.user ? await canModerateComments(svc, ctx, ctx.meta.user, post) : false;
  return toCursorPage(
    ordered,
    limit,
    (c) => [new Date(c.createdAt).toISOString(), c.id],
    (c) => toCommentView(c, showHidden),
  );
}

async function loadComment(
  svc: BlogThis,
  ctx: BlogContext<CommentRef>,
): Promise<{ post: PostDoc; comment: BlogCommentDoc }> {
  const post = await svc.stores.posts.findById(ctx.params.postId);
  if (!post) throw new NotFoundError("Post", ctx.params.postId);
  const comment = await svc.stores.comments.findById(ctx.params.id);
  if (!comment || comment.postId !== post.id) throw new NotFoundError("Comment", ctx.params.id);
  return { post, comment };
}

export async function editComment(
  svc: BlogThis,
  ctx: BlogContext<CommentRef & { body: string }>,
): Promise<CommentView> {
  const user = requireUser(ctx);
  const { post, comment } = await loadComment(svc, ctx);
  const verdict = canEditComment(user.id, comment, svc.settings.commentEditWindowMs);
  if (verdict === "not-author") throw new ForbiddenError("Only the author can edit this comment");
  if (verdict === "window-closed") throw new ConflictError("The edit window of this comment has passed");
  const body = await checkedText(svc, ctx, post, ctx.params.body);
  const changed = await svc.stores.comments.updateMany(
    { id: comment.id, status: "visible" },
    { body, editedAt: new Date() },
  );
  if (changed !== 1) throw new ConflictError("The comment was removed meanwhile");
  return toCommentView((await svc.stores.comments.findById(comment.id)) as BlogCommentDoc);
}

/** The author deletes their own; the blog's writers and the channel's moderators remove anyone's. */
export async function deleteComment(svc: BlogThis, ctx: BlogContext<CommentRef>): Promise<CommentView> {
  const user = requireUser(ctx);
  const { post, comment } = await loadComment(svc, ctx);
  const own = comment.authorId === user.id;
  if (!own && !(await canModerateComments(svc, ctx, user, post)))
    throw new ForbiddenError("Only the author, the blog's writers or the channel's moderators can remove this comment");
  if (comment.status === "deleted" || comment.status === "removed") return toCommentView(comment);
  const status = own ? "deleted" : "removed";
  await svc.db.transaction(async () => {
    // Conditional on the status read, so two concurrent removals count once.
    const changed = await svc.stores.comments.updateMany(
      { id: comment.id, status: comment.status },
      { status, moderatedBy: own ? null : user.id },
    );
    if (changed === 1 && comment.status === "visible") await svc.stores.posts.increment(post.id, "commentCount", -1);
  });
  return toCommentView((await svc.stores.comments.findById(comment.id)) as BlogCommentDoc);
}

/** Moderators hide a comment (reversible; hidden from readers) or show it again. */
export async function hideComment(
  svc: BlogThis,
  ctx: BlogContext<CommentRef & { hidden: boolean }>,
): Promise<CommentView> {
  const user = requireUser(ctx);
  const { post, comment } = await loadComment(svc, ctx);
  if (!(await canModerateComments(svc, ctx, user, post)))
    throw new ForbiddenError("Only the blog's writers or the channel's moderators can hide comments");
  const [from, to] = ctx.params.hidden ? (["visible", "hidden"] as const) : (["hidden", "visible"] as const);
  await svc.db.transaction(async () => {
    const changed = await svc.stores.comments.updateMany(
      { id: comment.id, status: from },
      { status: to, moderatedBy: ctx.params.hidden ? user.id : null },
    );
    if (changed === 1) await svc.stores.posts.increment(post.id, "commentCount", ctx.params.hidden ? -1 : 1);
  });
  return toCommentView((await svc.stores.comments.findById(comment.id)) as BlogCommentDoc, true);
}
