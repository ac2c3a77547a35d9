/** Revisions (every content change keeps a copy), restoring one, and re-rendering after a sanitizer upgrade. */
import { requireRole } from "../../../lib/auth/ownership";
import { NotFoundError } from "../../../lib/errors";
import type { BlogContext, BlogThis } from "./blog.context";
import { loadWritable } from "./blog-access";
import { renderMarkdown, RENDERER_VERSION } from "./markdown-render";
import { announceChange, contentOf, guardedUpdate, writeRevision } from "./post-writes";
import { postEventBody, toPostView, toRevisionView } from "./post-rules";
import type { PostView, RevisionView } from "./post.types";

export async function listRevisions(
  svc: BlogThis,
  ctx: BlogContext<{ id: string }>,
): Promise<{ items: RevisionView[] }> {
  const { post } = await loadWritable(svc, ctx, ctx.params.id);
  const revisions = await svc.stores.revisions.find({ query: { postId: post.id }, sort: ["-revision"], limit: 200 });
  return { items: revisions.map(toRevisionView) };
}

/** Makes an old revision's content current again, as a new revision (history is never rewritten). */
export async function restoreRevision(
  svc: BlogThis,
  ctx: BlogContext<{ id: string; revision: number }>,
): Promise<PostView> {
  const { post, user } = await loadWritable(svc, ctx, ctx.params.id);
  const old = await svc.stores.revisions.findOne({ postId: post.id, revision: ctx.params.revision });
  if (!old) throw new NotFoundError("Revision", String(ctx.params.revision));
  const next = await svc.db.transaction(async () => {
    const updated = await guardedUpdate(svc, post, {
      ...contentOf(old),
      bodyHtml: renderMarkdown(old.bodyMarkdown),
      renderedWith: RENDERER_VERSION,
      revision: post.revision + 1,
    });
    await writeRevision(svc, updated, user.id);
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

export interface RerenderResult {
  rendered: number;
  renderer: string;
}

/**
 * Admins, after a markdown/sanitizer upgrade: renders again, from the stored
 * markdown, every post made with another renderer version (or all of them).
 * Batched; the HTML changes but nothing a reader edits, so the version and
 * events stay (caches are dropped).
 */
export async function rerenderPosts(svc: BlogThis, ctx: BlogContext<{ all?: boolean }>): Promise<RerenderResult> {
  requireRole(ctx, "admin");
  let rendered = 0;
  const blogs = new Set<string>();
  let afterId = "";
  for (;;) {
    const batch = await svc.stores.posts.find({
      query: { id: { $gt: afterId }, ...(ctx.params.all ? {} : { renderedWith: { $ne: RENDERER_VERSION } }) },
      sort: ["id"],
      limit: 100,
    });
    for (const post of batch) {
      await svc.stores.posts.updateMany(
        { id: post.id, version: post.version },
        { bodyHtml: renderMarkdown(post.bodyMarkdown), renderedWith: RENDERER_VERSION },
      );
      blogs.add(post.blogId);
      rendered += 1;
    }
    if (batch.length < 100) break;
    afterId = batch[batch.length - 1]?.id ?? afterId;
  }
  for (const blogId of blogs) announceChange(svc, blogId);
  return { rendered, renderer: RENDERER_VERSION };
}
