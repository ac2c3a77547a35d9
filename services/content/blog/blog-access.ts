/**
 * Who may write on a blog. The site blog: users with the editor role. A
 * channel's blog: the channel's owner (asked of the channels service) and
 * the editors the owner named (kept here). Admins everywhere. Checked in
 * this service for every write, whatever the gateway let through.
 */
import type { AuthUser } from "../../../lib/auth/auth-user";
import { hasRole, isAdmin, requireUser } from "../../../lib/auth/ownership";
import { callAction } from "../../../lib/contracts";
import { ForbiddenError, NotFoundError } from "../../../lib/errors";
import type { BlogContext, BlogThis } from "./blog.context";
import { SITE_BLOG, type PostDoc } from "./post.types";

/** The owner of a channel, from the channels service (404 for an unknown channel). */
export async function channelOwnerId(ctx: BlogContext, channelId: string): Promise<string> {
  const channel = await callAction(ctx, "channels.get", { id: channelId });
  return channel.ownerId;
}

export function editorId(channelId: string, userId: string): string {
  return `${channelId}|${userId}`;
}

/**
 * The part of the writer rule a signed-in user's roles answer alone (admins everywhere, editors on the site blog),
 * shared by isWriter and readsAsWriter; undefined for a channel blog, which only its owner and editors write.
 */
function writerByRole(user: AuthUser, blogId: string): boolean | undefined {
  if (isAdmin(user)) return true;
  if (blogId === SITE_BLOG) return hasRole(user, "editor");
  return undefined;
}

export async function isWriter(
  svc: BlogThis,
  ctx: BlogContext,
  user: AuthUser | undefined,
  blogId: string,
): Promise<boolean> {
  if (!user) return false;
  const byRole = writerByRole(user, blogId);
  if (byRole !== undefined) return byRole;
  if (await svc.stores.editors.findById(editorId(blogId, user.id))) return true;
  return (await channelOwnerId(ctx, blogId)) === user.id;
}

/** Who writes a channel's blog: its owner (a channel never changes hands) and the editors the owner named. */
interface ChannelBlogWriters {
  ownerId: string;
  editorIds: ReadonlySet<string>;
}

/**
 * Whether a reader of a published post gets its writers' view (the markdown they edit): answered from a
 * per-node memo of the blog's writers instead of an editor lookup and a channels call on every signed-in read.
 * The memo lives in the read cache under the blog's group, so an editor named or removed (announceChange)
 * drops it on every node like any post change. Only for published posts, where the answer picks between two
 * views of public content: drafts and writes keep asking isWriter, which a late broadcast cannot fool.
 */
export async function readsAsWriter(
  svc: BlogThis,
  ctx: BlogContext,
  user: AuthUser | undefined,
  blogId: string,
): Promise<boolean> {
  if (!user) return false;
  const byRole = writerByRole(user, blogId);
  if (byRole !== undefined) return byRole;
  const writers = await svc.cache.through<ChannelBlogWriters>(`writers:${blogId}`, blogId, async () => {
    const [ownerId, editors] = await Promise.all([
      channelOwnerId(ctx, blogId),
      svc.stores.editors.find({ query: { channelId: blogId } }),
    ]);
    return { ownerId, editorIds: new Set(editors.map((e) => e.userId)) };
  });
  return writers.ownerId === user.id || writers.editorIds.has(user.id);
}

/** The caller, when they may write on the blog: 401 anonymous, 404 unknown channel, 403 otherwise. */
export async function requireWriter(svc: BlogThis, ctx: BlogContext, blogId: string): Promise<AuthUser> {
  const user = requireUser(ctx);
  if (!(await isWriter(svc, ctx, user, blogId)))
    throw new ForbiddenError(
      blogId === SITE_BLOG
        ? "Only editors write on the site blog"
        : "Only the channel's owner and the editors they name write on this blog",
    );
  return user;
}

/** A post the caller may change: 404 when they cannot even read it, 403 when they read but may not write. */
export async function loadWritable(
  svc: BlogThis,
  ctx: BlogContext,
  id: string,
): Promise<{ post: PostDoc; user: AuthUser }> {
  const user = requireUser(ctx);
  const post = await svc.stores.posts.findById(id);
  if (!post) throw new NotFoundError("Post", id);
  const writer = await isWriter(svc, ctx, user, post.blogId);
  if (!writer) {
    if (post.status !== "published") throw new NotFoundError("Post", id);
    throw new ForbiddenError("Only the blog's writers may change this post");
  }
  return { post, user };
}

/** Channel owner or admin: who names a channel blog's editors. */
export async function requireChannelOwner(ctx: BlogContext, channelId: string): Promise<AuthUser> {
  const user = requireUser(ctx);
  const ownerId = await channelOwnerId(ctx, channelId);
  if (ownerId !== user.id && !isAdmin(user)) throw new ForbiddenError("Only the channel owner names its blog editors");
  return user;
}

/**
 * Who may hide or remove comments on a post: the blog's writers, admins,
 * and for a channel blog the channel's moderators; on the site blog, users
 * with the global moderator role.
 */
export async function canModerateComments(
  svc: BlogThis,
  ctx: BlogContext,
  user: AuthUser,
  post: Pick<PostDoc, "blogId" | "channelId">,
): Promise<boolean> {
  if (await isWriter(svc, ctx, user, post.blogId)) return true;
  if (!post.channelId) return hasRole(user, "moderator");
  const policy = await callAction(ctx, "channels.getChatPolicy", { channelId: post.channelId });
  return policy.moderatorIds.includes(user.id);
}

/** Raises 404 for an unknown channel blog (a channel blog exists exactly when its channel does). */
export async function assertBlogExists(ctx: BlogContext, blogId: string): Promise<void> {
  if (blogId !== SITE_BLOG) await channelOwnerId(ctx, blogId);
}
