/**
 * Read counts: the client reports a read (POST …/views) when it shows the
 * post, counted once per reader per window by the rule VOD plays use
 * (lib/views). GETs stay side-effect free, so caches, prefetchers and feed
 * readers neither pay for a write nor inflate the count.
 */
import { NotFoundError } from "../../../lib/errors";
import { countView } from "../../../lib/views/view-window";
import type { BlogContext, BlogThis } from "./blog.context";

export interface ViewResult {
  postId: string;
  counted: boolean;
  viewCount: number;
}

export async function recordView(svc: BlogThis, ctx: BlogContext<{ id: string }>): Promise<ViewResult> {
  const post = await svc.stores.posts.findById(ctx.params.id);
  if (!post || post.status !== "published") throw new NotFoundError("Post", ctx.params.id);
  const counted = await countView(
    svc.stores.views,
    (id, key, at) => ({ id, postId: post.id, viewerKey: key, lastCountedAt: at }),
    post.id,
    { userId: ctx.meta.user?.id, clientIp: ctx.meta.clientIp },
    { salt: svc.viewerSalt, windowMs: svc.settings.viewWindowMs },
  );
  const viewCount = counted
    ? ((await svc.stores.posts.increment(post.id, "viewCount", 1))?.viewCount ?? post.viewCount + 1)
    : post.viewCount;
  return { postId: post.id, counted, viewCount };
}
