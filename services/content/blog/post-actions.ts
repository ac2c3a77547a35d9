/** Create, edit, read and delete posts. Publication lives in publish-actions.ts. */
import { NotFoundError, ValidationError } from "../../../lib/errors";
import { sanitizePlainText } from "../../../lib/moderation";
import type { BlogContext, BlogThis } from "./blog.context";
import { randomUUID } from "node:crypto";
import { isWriter, loadWritable, readsAsWriter, requireWriter } from "./blog-access";
import { renderMarkdown, RENDERER_VERSION } from "./markdown-render";
import { announceChange, claimSlug, guardedUpdate, writeRevision } from "./post-writes";
import { channelOf, postEventBody, slugify, toPostView } from "./post-rules";
import { toPlainTags } from "../../../lib/text/plain-text";
import { markCreated } from "../../../lib/http/response-meta";
import type { PostDoc, PostKind, PostView, PostVisibility } from "./post.types";

export interface CreatePostParams {
  blog: string;
  title: string;
  body: string;
  summary?: string;
  slug?: string;
  category?: string;
  tags?: string[];
  kind?: PostKind;
  reviewScore?: number;
  visibility?: PostVisibility;
  commentsClosed?: boolean;
}

export interface UpdatePostParams {
  id: string;
  title?: string;
  body?: string;
  summary?: string;
  slug?: string;
  category?: string | null;
  tags?: string[];
  kind?: PostKind;
  reviewScore?: number | null;
  visibility?: PostVisibility;
  commentsClosed?: boolean;
}

function plainTitle(raw: string): string {
  const title = sanitizePlainText(raw);
  if (!title) throw new ValidationError("Title cannot be blank", [{ field: "title", message: "blank" }]);
  return title;
}

/** A score belongs to reviews only; a review may leave it out until it is ready. */
function checkScore(kind: PostKind, score: number | null): number | null {
  if (score === null) return null;
  if (kind !== "review")
    throw new ValidationError("Only reviews have a score", [{ field: "reviewScore", message: "reviews only" }]);
  return Math.round(score * 10) / 10;
}

export async function createPost(svc: BlogThis, ctx: BlogContext<CreatePostParams>): Promise<PostView> {
  const p = ctx.params;
  const user = await requireWriter(svc, ctx, p.blog);
  const title = plainTitle(p.title);
  const kind = p.kind ?? "news";
  const reviewScore = checkScore(kind, p.reviewScore ?? null);
  const bodyHtml = renderMarkdown(p.body);
  const post = await svc.db.transaction(async () => {
    const id = randomUUID();
    const slug = await claimSlug(svc, p.blog, id, p.slug ?? slugify(title), p.slug !== undefined);
    const created = await svc.stores.posts.insert({
      id,
      blogId: p.blog,
      channelId: channelOf(p.blog),
      authorId: user.id,
      authorName: user.username,
      title,
      slug,
      summary: sanitizePlainText(p.summary ?? ""),
      bodyMarkdown: p.body,
      bodyHtml,
      renderedWith: RENDERER_VERSION,
      category: (p.category ? sanitizePlainText(p.category).toLowerCase() : "") || null,
      tags: toPlainTags(p.tags),
      kind,
      reviewScore,
      coverKey: null,
      status: "draft",
      visibility: p.visibility ?? "public",
      publishedAt: null,
      scheduledAt: null,
      commentsClosed: p.commentsClosed ?? false,
      viewCount: 0,
      commentCount: 0,
      revision: 1,
      version: 1,
      changedAt: new Date(),
    });
    await writeRevision(svc, created, user.id);
    return created;
  });
  markCreated(ctx, `/blog/posts/${post.id}`);
  return toPostView(svc.publicUrl, post, true);
}

export async function updatePost(svc: BlogThis, ctx: BlogContext<UpdatePostParams>): Promise<PostView> {
  const { post, user } = await loadWritable(svc, ctx, ctx.params.id);
  const p = ctx.params;
  const patch: Partial<PostDoc> = {};
  if (p.title !== undefined) patch.title = plainTitle(p.title);
  if (p.summary !== undefined) patch.summary = sanitizePlainText(p.summary);
  if (p.body !== undefined && p.body !== post.bodyMarkdown) {
    patch.bodyMarkdown = p.body;
    patch.bodyHtml = renderMarkdown(p.body);
    patch.renderedWith = RENDERER_VERSION;
  }
  if (p.category !== undefined)
    patch.category = (p.category ? sanitizePlainText(p.category).toLowerCase() : "") || null;
  if (p.tags !== undefined) patch.tags = toPlainTags(p.tags);
  if (p.kind !== undefined) patch.kind = p.kind;
  const kind = patch.kind ?? post.kind;
  if (p.reviewScore !== undefined) patch.reviewScore = checkScore(kind, p.reviewScore);
  else if (kind !== "review") patch.reviewScore = null;
  if (p.visibility !== undefined) patch.visibility = p.visibility;
  if (p.commentsClosed !== undefined) patch.commentsClosed = p.commentsClosed;
  const contentChanged = (
    ["title", "summary", "bodyMarkdown", "category", "tags", "kind", "reviewScore"] as const
  ).some((f) => patch[f] !== undefined && JSON.stringify(patch[f]) !== JSON.stringify(post[f]));
  const next = await svc.db.transaction(async () => {
    if (p.slug !== undefined && p.slug !== post.slug)
      patch.slug = await claimSlug(svc, post.blogId, post.id, p.slug, true);
    if (contentChanged) patch.revision = post.revision + 1;
    const updated = await guardedUpdate(svc, post, patch);
    if (contentChanged) await writeRevision(svc, updated, user.id);
    if (updated.status === "published")
      await svc.publishDurable("post.updated", {
        ...postEventBody(svc.publicUrl, updated),
        status: updated.status,
        publishedAt: updated.publishedAt ? updated.publishedAt.toISOString() : null,
      });
    announceChange(svc, post.blogId);
    return updated;
  });
  return toPostView(svc.publicUrl, next, true);
}

/**
 * A published post as the read cache keeps it: the stored doc and the view every reader who is not one of
 * its writers gets, built once (a 20 KB post's view is rebuilt on no request; blog.posts.changed drops both).
 * Callers must not mutate the view: it is shared by every request until the next change.
 */
interface PublishedEntry {
  doc: PostDoc;
  readerView: PostView;
}

async function readPublished(svc: BlogThis, key: string, blogId: string, load: () => Promise<PostDoc | null>) {
  return svc.cache.through(`post:${key}`, blogId, load);
}

export async function getPost(svc: BlogThis, ctx: BlogContext<{ id: string }>): Promise<PostView> {
  const cached = svc.cache.get<PublishedEntry>(`post:id:${ctx.params.id}`);
  // Taken before the read: a change committed while it runs must keep its (stale) result out of the cache.
  const mark = svc.cache.mark();
  const post = cached?.doc ?? (await svc.stores.posts.findById(ctx.params.id));
  if (!post) throw new NotFoundError("Post", ctx.params.id);
  if (post.status === "published") {
    const entry = cached ?? { doc: post, readerView: toPostView(svc.publicUrl, post, false) };
    if (!cached) svc.cache.setIfUnchangedSince(mark, `post:id:${post.id}`, post.blogId, entry);
    const writer = await readsAsWriter(svc, ctx, ctx.meta.user, post.blogId);
    return writer ? toPostView(svc.publicUrl, post, true) : entry.readerView;
  }
  if (!(await isWriter(svc, ctx, ctx.meta.user, post.blogId))) throw new NotFoundError("Post", ctx.params.id);
  return toPostView(svc.publicUrl, post, true);
}

/**
 * A post by its blog and slug. An old slug (before a rename) answers 301
 * with the current URL, so links and bookmarks keep working.
 */
export async function getPostBySlug(
  svc: BlogThis,
  ctx: BlogContext<{ blog: string; slug: string }>,
): Promise<PostView> {
  const { blog, slug } = ctx.params;
  const post = await readPublished(svc, `slug:${blog}|${slug}`, blog, async () => {
    const claim = await svc.stores.slugs.findOne({ blogId: blog, slug });
    return claim ? svc.stores.posts.findById(claim.postId) : null;
  });
  if (!post) throw new NotFoundError("Post", slug);
  const writer =
    post.status === "published"
      ? await readsAsWriter(svc, ctx, ctx.meta.user, post.blogId)
      : await isWriter(svc, ctx, ctx.meta.user, post.blogId);
  if (!writer && post.status !== "published") throw new NotFoundError("Post", slug);
  if (post.slug !== slug) {
    ctx.meta.$statusCode = 301;
    ctx.meta.$location = `/api/v1/blog/${encodeURIComponent(blog)}/posts/${encodeURIComponent(post.slug)}`;
  }
  return toPostView(svc.publicUrl, post, writer);
}

/** Batch read for other services (search): published posts only, in the order asked. */
export async function getManyPosts(svc: BlogThis, ctx: BlogContext<{ ids: string[] }>): Promise<PostView[]> {
  const posts = await svc.stores.posts.findByIds(ctx.params.ids);
  const byId = new Map(posts.filter((p) => p.status === "published").map((p) => [p.id, p]));
  return ctx.params.ids.flatMap((id) => {
    const post = byId.get(id);
    return post ? [toPostView(svc.publicUrl, post, false)] : [];
  });
}

/** Deletes the post with its slugs, revisions, comments, views, timers and cover. */
export async function removePost(
  svc: BlogThis,
  ctx: BlogContext<{ id: string }>,
): Promise<{ id: string; deleted: true }> {
  const { post } = await loadWritable(svc, ctx, ctx.params.id);
  await deletePostRecords(svc, post);
  return { id: post.id, deleted: true };
}

/** Removes a post's rows and cover and publishes post.deleted (its author's account deletion too). */
export async function deletePostRecords(svc: BlogThis, post: PostDoc): Promise<void> {
  await svc.db.transaction(async () => {
    const removed = await svc.stores.posts.removeById(post.id);
    if (!removed) throw new NotFoundError("Post", post.id);
    await svc.stores.slugs.removeMany({ postId: post.id });
    await svc.stores.revisions.removeMany({ postId: post.id });
    await svc.stores.comments.removeMany({ postId: post.id });
    await svc.stores.views.removeMany({ postId: post.id });
    await svc.stores.timers.removeMany({ postId: post.id });
    await svc.publishDurable("post.deleted", {
      postId: post.id,
      blogId: post.blogId,
      channelId: post.channelId,
      authorId: post.authorId,
      version: removed.version + 1,
      deletedAt: new Date().toISOString(),
    });
    announceChange(svc, post.blogId);
  });
  await svc.storage.deletePrefix(`blog/covers/${post.id}/`);
}
