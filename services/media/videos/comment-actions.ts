import { Errors } from "moleculer";
import { requireUser } from "../../../lib/auth/ownership";
import { checkLimit } from "../../../lib/rate-limit";
import { ForbiddenError, NotFoundError, RateLimitedError, ValidationError } from "../../../lib/errors";
import { callAction } from "../../../lib/contracts";
import type { VideosContext, VideosThis } from "./videos.context";
import { loadViewable } from "./video-actions";
import { checkCommentText, COMMENT_REFUSAL_MESSAGES, type ChatPolicy } from "../../../lib/moderation";
import { canEditComment, placeReply, removalKind } from "./comment-rules";
import { toCommentView } from "./video-rules";
import type { CommentDoc, CommentPage, CommentView } from "./video.types";
import { markCreated } from "../../../lib/http/response-meta";
import { keysetFind, type KeysetField } from "../../../lib/pagination/keyset-docs";
import { pageLimit, type CursorPageParams } from "../../../lib/pagination";

export interface CreateCommentParams {
  videoId: string;
  body: string;
  parentId?: string;
}

export interface ListCommentsParams extends CursorPageParams {
  videoId: string;
  /** Replies of one thread (all depths, oldest first); without it, top-level comments, newest first. */
  rootId?: string;
}

/** Top level newest first, a thread oldest first; the id breaks ties of one millisecond. */
const TOP_LEVEL_ORDER: readonly KeysetField[] = [
  { field: "createdAt", kind: "date", desc: true },
  { field: "id", kind: "text", desc: false },
];
const THREAD_ORDER: readonly KeysetField[] = [
  { field: "createdAt", kind: "date", desc: false },
  { field: "id", kind: "text", desc: false },
];

/**
 * Blocked terms are the channel's chat list (chat service), so one list
 * governs chat and comments. A node without the chat service running
 * anywhere accepts comments rather than refusing all of them.
 */
async function blockedTerms(svc: VideosThis, ctx: VideosContext, channelId: string): Promise<string[]> {
  try {
    return (await callAction(ctx, "chat.getModeration", { channelId })).blockedTerms;
  } catch (err) {
    if (err instanceof Errors.ServiceNotFoundError) {
      svc.logger.warn(`chat service unavailable; comment on channel ${channelId} checked without blocked terms`);
      return [];
    }
    throw err;
  }
}

function refuseText(check: Exclude<ReturnType<typeof checkCommentText>, { ok: true }>): never {
  throw new ValidationError(COMMENT_REFUSAL_MESSAGES[check.reason], [{ field: "body", message: check.reason }]);
}

/**
 * One atomic counter per author and window (Redis when REDIS_URL is set, so
 * every videos node shares it; memory otherwise). Counting stored rows
 * instead let a burst of concurrent posts all see the same count and pass.
 * A Redis outage lets comments through (logged) rather than refusing all.
 */
async function enforceRateLimit(svc: VideosThis, authorId: string): Promise<void> {
  const limit = svc.settings.commentRateLimit;
  let decision;
  try {
    decision = await checkLimit(svc.commentLimits, `comment:${authorId}`, limit.max, limit.windowMs);
  } catch (err) {
    svc.logger.warn(`comment rate limit store unavailable; comment by ${authorId} not counted: ${String(err)}`);
    return;
  }
  if (!decision.allowed) throw new RateLimitedError(decision.retryAfterS);
}

export async function createComment(svc: VideosThis, ctx: VideosContext<CreateCommentParams>): Promise<CommentView> {
  const user = requireUser(ctx);
  const video = await loadViewable(svc, ctx, ctx.params.videoId);
  if (video.status !== "ready") throw new ValidationError("Comments open once the video is published");
  const check = checkCommentText(ctx.params.body, await blockedTerms(svc, ctx, video.channelId));
  if (!check.ok) refuseText(check);
  let parent: CommentDoc | null = null;
  if (ctx.params.parentId) {
    parent = await svc.stores.comments.findById(ctx.params.parentId);
    if (!parent || parent.videoId !== video.id) throw new NotFoundError("Comment", ctx.params.parentId, "parentId");
  }
  // Counted once the comment is known to be acceptable, so refused attempts do not spend the allowance.
  await enforceRateLimit(svc, user.id);
  const place = placeReply(parent);
  const comment = await svc.db.transaction(async () => {
    const inserted = await svc.stores.comments.insert({
      videoId: video.id,
      channelId: video.channelId,
      authorId: user.id,
      authorName: user.username,
      ...place,
      body: check.text,
      status: "visible",
      editedAt: null,
      removedBy: null,
      replyCount: 0,
    });
    await svc.stores.videos.increment(video.id, "commentCount", 1);
    if (place.parentId) await svc.stores.comments.increment(place.parentId, "replyCount", 1);
    await svc.publishDurable("comment.created", {
      commentId: inserted.id,
      videoId: video.id,
      channelId: video.channelId,
      videoOwnerId: video.ownerId,
      authorId: user.id,
      parentId: place.parentId,
      parentAuthorId: parent?.authorId ?? null,
      body: inserted.body,
      createdAt: inserted.createdAt.toISOString(),
    });
    return inserted;
  });
  // A comment has no read route of its own: its address is the one its edit and delete routes use.
  markCreated(ctx, `/videos/${video.id}/comments/${comment.id}`);
  return toCommentView(comment);
}

export async function listComments(svc: VideosThis, ctx: VideosContext<ListCommentsParams>): Promise<CommentPage> {
  const video = await loadViewable(svc, ctx, ctx.params.videoId);
  const base = ctx.params.rootId
    ? { videoId: video.id, rootId: ctx.params.rootId }
    : { videoId: video.id, rootId: null };
  const page = await keysetFind((query, sort, limit) => svc.stores.comments.find({ query, sort, limit }), {
    base,
    fields: ctx.params.rootId ? THREAD_ORDER : TOP_LEVEL_ORDER,
    cursor: ctx.params.cursor,
    limit: pageLimit(ctx.params),
    keyOf: (c: CommentDoc) => [c.createdAt.toISOString(), c.id],
  });
  return { items: page.items.map(toCommentView), nextCursor: page.nextCursor };
}

async function loadComment(svc: VideosThis, ctx: VideosContext<{ videoId: string; id: string }>): Promise<CommentDoc> {
  await loadViewable(svc, ctx, ctx.params.videoId);
  const comment = await svc.stores.comments.findById(ctx.params.id);
  if (!comment || comment.videoId !== ctx.params.videoId) throw new NotFoundError("Comment", ctx.params.id);
  return comment;
}

export async function editComment(
  svc: VideosThis,
  ctx: VideosContext<{ videoId: string; id: string; body: string }>,
): Promise<CommentView> {
  const user = requireUser(ctx);
  const comment = await loadComment(svc, ctx);
  if (!canEditComment(user, comment)) throw new ForbiddenError("Only the author can edit this comment");
  const check = checkCommentText(ctx.params.body, await blockedTerms(svc, ctx, comment.channelId));
  if (!check.ok) refuseText(check);
  const updated = await svc.stores.comments.updateById(comment.id, { body: check.text, editedAt: new Date() });
  if (!updated) throw new NotFoundError("Comment", comment.id);
  return toCommentView(updated);
}

/** Author: deleted. Channel owner, channel moderators, admins: removed. Replies stay in place. */
export async function deleteComment(
  svc: VideosThis,
  ctx: VideosContext<{ videoId: string; id: string }>,
): Promise<CommentView> {
  const user = requireUser(ctx);
  const comment = await loadComment(svc, ctx);
  if (comment.status !== "visible") return toCommentView(comment);
  let policy: ChatPolicy = { channelId: comment.channelId, ownerId: "", moderatorIds: [], vipIds: [] };
  if (comment.authorId !== user.id)
    policy = await callAction(ctx, "channels.getChatPolicy", { channelId: comment.channelId });
  const kind = removalKind(user, comment, policy);
  if (!kind) throw new ForbiddenError("Only the author, the channel owner or its moderators can remove this comment");
  const updated = await svc.db.transaction(async () => {
    // Conditional on "visible" so two concurrent removals decrement the count once.
    const changed = await svc.stores.comments.updateMany(
      { id: comment.id, status: "visible" },
      { status: kind, removedBy: kind === "removed" ? user.id : null },
    );
    if (changed === 1) await svc.stores.videos.increment(comment.videoId, "commentCount", -1);
    return svc.stores.comments.findById(comment.id);
  });
  if (!updated) throw new NotFoundError("Comment", comment.id);
  return toCommentView(updated);
}
