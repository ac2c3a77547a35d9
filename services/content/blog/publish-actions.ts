/**
 * Publishing: now, at a time (a durable timer row, fired by any node's
 * scheduler), or back to draft. Each change and its event commit together.
 */
import { ConflictError, ValidationError } from "../../../lib/errors";
import type { BlogContext, BlogThis } from "./blog.context";
import { loadWritable } from "./blog-access";
import { announceChange, guardedUpdate } from "./post-writes";
import { postEventBody, toPostView } from "./post-rules";
import type { PostDoc, PostView } from "./post.types";

export interface PublishParams {
  id: string;
  /** ISO time to publish at; absent or past = now. */
  at?: Date | string;
}

async function cancelTimers(svc: BlogThis, postId: string): Promise<void> {
  await svc.stores.timers.updateMany(
    { postId, state: "pending" },
    { state: "cancelled", leaseOwner: null, leaseUntil: null },
  );
}

/** Makes a post public in the current transaction and announces it. */
export async function publishNow(svc: BlogThis, post: PostDoc, scheduled: boolean): Promise<PostDoc> {
  const now = new Date();
  const published = await guardedUpdate(svc, post, { status: "published", publishedAt: now, scheduledAt: null });
  await svc.publishDurable("post.published", {
    ...postEventBody(svc.publicUrl, published),
    publishedAt: now.toISOString(),
    scheduled,
  });
  announceChange(svc, post.blogId);
  return published;
}

export async function publishPost(svc: BlogThis, ctx: BlogContext<PublishParams>): Promise<PostView> {
  const { post } = await loadWritable(svc, ctx, ctx.params.id);
  const at = ctx.params.at ? new Date(ctx.params.at) : null;
  if (at && Number.isNaN(at.getTime()))
    throw new ValidationError("Invalid publication time", [{ field: "at", message: "ISO 8601 date-time" }]);
  const future = at !== null && at.getTime() > Date.now();
  if (post.status === "published") {
    if (future) throw new ConflictError("The post is already published; unpublish it before scheduling");
    return toPostView(svc.publicUrl, post, true);
  }
  const next = await svc.db.transaction(async () => {
    await cancelTimers(svc, post.id);
    if (!future) return publishNow(svc, post, false);
    const scheduled = await guardedUpdate(svc, post, { status: "scheduled", scheduledAt: at });
    await svc.stores.timers.insert({
      postId: post.id,
      dueAt: at,
      state: "pending",
      attempts: 0,
      leaseOwner: null,
      leaseUntil: null,
      lastError: null,
    });
    svc.db.afterCommit(() => svc.scheduler.armAt(at));
    announceChange(svc, post.blogId);
    return scheduled;
  });
  return toPostView(svc.publicUrl, next, true);
}

/** Back to draft: a published post leaves listings, feeds and search; a scheduled one will not go out. */
export async function unpublishPost(svc: BlogThis, ctx: BlogContext<{ id: string }>): Promise<PostView> {
  const { post } = await loadWritable(svc, ctx, ctx.params.id);
  if (post.status === "draft") return toPostView(svc.publicUrl, post, true);
  const next = await svc.db.transaction(async () => {
    await cancelTimers(svc, post.id);
    const draft = await guardedUpdate(svc, post, { status: "draft", scheduledAt: null, publishedAt: null });
    if (post.status === "published")
      await svc.publishDurable("post.unpublished", {
        postId: draft.id,
        blogId: draft.blogId,
        channelId: draft.channelId,
        version: draft.version,
        updatedAt: draft.changedAt.toISOString(),
      });
    announceChange(svc, post.blogId);
    return draft;
  });
  return toPostView(svc.publicUrl, next, true);
}

/**
 * Fires one due timer (called by the scheduler holding its lease): the timer
 * is closed and the post published in one transaction, so a crash between
 * the two cannot publish twice or lose the publication. False when the post
 * was unpublished, rescheduled or deleted meanwhile (the timer is stale).
 */
export function fireTimer(svc: BlogThis, timer: { id: string; postId: string; dueAt: Date; attempts: number }) {
  return svc.db.transaction(async () => {
    const post = await svc.stores.posts.findById(timer.postId);
    const due = new Date(timer.dueAt).getTime();
    if (!post || post.status !== "scheduled" || !post.scheduledAt || new Date(post.scheduledAt).getTime() !== due)
      return false;
    const timerDoc = await svc.stores.timers.findById(timer.id);
    if (!timerDoc || !(await svc.scheduler.finish({ ...timerDoc, attempts: timer.attempts }, "done")))
      throw new Error("Lease on the timer was lost");
    await publishNow(svc, post, true);
    return true;
  });
}
