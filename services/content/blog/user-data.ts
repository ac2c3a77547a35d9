/**
 * blog's share of a deletion: the user's posts (with their comments,
 * revisions and covers; post.deleted tells search), their editor places on
 * channel blogs, and their comments on others' posts, which keep their
 * place in threads but lose text and author (as do their revisions of
 * others' posts). A deleted channel's blog goes whole. Idempotent.
 */
import type { Service } from "moleculer";
import { DELETED_USER_ID } from "../../../lib/auth/deleted-user";
import { anonymizeAuthorComments } from "../../../lib/comments/anonymize";
import type { ArenaContext } from "../../../lib/contracts";
import { assertSelfOrAdmin, withoutFields, type UserDataParams } from "../../../lib/contracts/user-data";
import { durableHandler } from "../../../mixins/durable-events";
import type { BlogThis } from "./blog.context";
import type { BlogUserData } from "./blog.contract";
import { deletePostRecords } from "./post-actions";
import { POST_BOOKKEEPING } from "./post.types";

async function deletePosts(svc: BlogThis, query: { authorId: string } | { channelId: string }): Promise<void> {
  for (const post of await svc.stores.posts.find({ query })) await deletePostRecords(svc, post);
}

async function anonymizeAuthor(svc: BlogThis, userId: string): Promise<void> {
  await svc.db.transaction(async () => {
    await anonymizeAuthorComments(svc.stores.comments, userId, (comment) =>
      svc.stores.posts.increment(comment.postId, "commentCount", -1),
    );
    await svc.stores.revisions.updateMany({ editorId: userId }, { editorId: DELETED_USER_ID });
    await svc.stores.editors.removeMany({ userId });
  });
}

export const userDeletionHandlers = {
  ...durableHandler("user.deleted", {
    group: "blog",
    async handler(this: Service, envelope) {
      const svc = this as unknown as BlogThis;
      await deletePosts(svc, { authorId: envelope.payload.userId });
      await anonymizeAuthor(svc, envelope.payload.userId);
    },
  }),
  ...durableHandler("channel.deleted", {
    group: "blog",
    async handler(this: Service, envelope) {
      const svc = this as unknown as BlogThis;
      await deletePosts(svc, { channelId: envelope.payload.channelId });
      await svc.stores.editors.removeMany({ channelId: envelope.payload.channelId });
    },
  }),
};

/** blog' part of GET /me/export: what it holds of the user. */
export async function exportUserData(svc: BlogThis, ctx: ArenaContext<UserDataParams>): Promise<BlogUserData> {
  assertSelfOrAdmin(ctx);
  const { userId } = ctx.params;
  const [posts, comments] = await Promise.all([
    svc.stores.posts.find({ query: { authorId: userId } }),
    svc.stores.comments.find({ query: { authorId: userId } }),
  ]);
  // Who hid or removed a comment is the moderator's data, not the author's.
  return {
    posts: posts.map((post) => withoutFields(post, POST_BOOKKEEPING)),
    comments: comments.map((comment) => withoutFields(comment, ["moderatedBy"])),
  };
}
