/**
 * A deleted user's comments (VOD, blog) keep their place in threads, since
 * replies hang off them, but lose their text and author. One rule for every
 * service that stores comments; the store is described structurally because
 * lib does not depend on the db mixin.
 */
import { DELETED_USER_ID, DELETED_USER_NAME } from "../auth/deleted-user";

/** What a comment row must hold for this rule. */
export interface AnonymizableComment {
  id: string;
  status: string;
}

/** The slice of an entity store the rule needs. */
export interface CommentRows<C extends AnonymizableComment> {
  find(options: { query: { authorId: string } }): Promise<C[]>;
  updateMany(
    query: { id: string; authorId: string },
    patch: { authorId: string; authorName: string; body: string; status: "deleted" },
  ): Promise<number>;
}

/**
 * Anonymizes every comment of `authorId`; `onHidden` runs once for each
 * comment that was visible and is anonymized now (to drop it from a count).
 * Idempotent: a second run finds nothing of the author's left.
 */
export async function anonymizeAuthorComments<C extends AnonymizableComment>(
  rows: CommentRows<C>,
  authorId: string,
  onHidden: (comment: C) => Promise<unknown>,
): Promise<void> {
  for (const comment of await rows.find({ query: { authorId } })) {
    const changed = await rows.updateMany(
      { id: comment.id, authorId },
      { authorId: DELETED_USER_ID, authorName: DELETED_USER_NAME, body: "", status: "deleted" },
    );
    if (changed === 1 && comment.status === "visible") await onHidden(comment);
  }
}
