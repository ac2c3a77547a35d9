/** Write steps shared by the post actions: slug claims, revisions, cache invalidation. */
import { broadcastEvent } from "../../../lib/contracts";
import { ConflictError } from "../../../lib/errors";
import type { BlogThis } from "./blog.context";
import { slugCandidate, slugId } from "./post-rules";
import type { PostContent, PostDoc } from "./post.types";

/**
 * Claims a slug in a blog inside the caller's transaction. An explicit slug
 * that another post holds (now or formerly) is a 409; an automatic one tries
 * -2, -3 … A slug this post held before is taken back (renaming back).
 */
export async function claimSlug(
  svc: BlogThis,
  blogId: string,
  postId: string,
  base: string,
  explicit: boolean,
): Promise<string> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const slug = slugCandidate(base, attempt);
    const id = slugId(blogId, slug);
    if (await svc.stores.slugs.insertIfAbsent({ id, blogId, slug, postId })) return slug;
    const holder = await svc.stores.slugs.findById(id);
    if (holder?.postId === postId) return slug;
    if (explicit) throw new ConflictError(`The slug "${slug}" is taken on this blog`);
  }
  throw new ConflictError(`No free slug for "${base}" on this blog`);
}

export function contentOf(post: PostContent): PostContent {
  return {
    title: post.title,
    summary: post.summary,
    bodyMarkdown: post.bodyMarkdown,
    category: post.category,
    tags: post.tags,
    kind: post.kind,
    reviewScore: post.reviewScore,
  };
}

export async function writeRevision(svc: BlogThis, post: PostDoc, editorId: string): Promise<void> {
  await svc.stores.revisions.insert({
    postId: post.id,
    revision: post.revision,
    editorId,
    ...contentOf(post),
  });
}

/**
 * Once the transaction commits, every blog node (this one included) drops
 * its cached feeds and posts of the blog. A lost broadcast costs at most the
 * cache TTL of staleness on that node.
 */
export function announceChange(svc: BlogThis, blogId: string): void {
  svc.cache.invalidate(blogId);
  svc.db.afterCommit(() => {
    svc.cache.invalidate(blogId);
    broadcastEvent(svc.broker, "blog.posts.changed", { blogId }).catch((err: unknown) =>
      svc.logger.warn(`Could not announce a change of blog ${blogId}: ${String(err)}`),
    );
  });
}

/**
 * Applies a patch only if nobody changed the post since it was read (the
 * version is the guard); returns the new document or throws 409.
 */
export async function guardedUpdate(svc: BlogThis, post: PostDoc, patch: Partial<PostDoc>): Promise<PostDoc> {
  const changed = await svc.stores.posts.updateMany(
    { id: post.id, version: post.version },
    { ...patch, version: post.version + 1, changedAt: new Date() },
  );
  if (changed !== 1) throw new ConflictError("The post changed meanwhile; reload it and try again");
  const next = await svc.stores.posts.findById(post.id);
  if (!next) throw new ConflictError("The post was deleted meanwhile");
  return next;
}
