import type { AuthUser } from "../../../lib/auth/auth-user";
import { moderatesChannel, type ChatPolicy } from "../../../lib/moderation";
import type { CommentDoc } from "./video.types";

/** Replies nest this deep at most; a reply to a deeper comment attaches to its parent's level. */
export const MAX_COMMENT_DEPTH = 3;

/** Position of a new comment in its thread. */
export function placeReply(parent: Pick<CommentDoc, "id" | "rootId" | "depth" | "parentId"> | null): {
  parentId: string | null;
  rootId: string | null;
  depth: number;
} {
  if (!parent) return { parentId: null, rootId: null, depth: 0 };
  const rootId = parent.rootId ?? parent.id;
  if (parent.depth + 1 > MAX_COMMENT_DEPTH) return { parentId: parent.parentId, rootId, depth: parent.depth };
  return { parentId: parent.id, rootId, depth: parent.depth + 1 };
}

/** Only the author edits, and only while the comment is visible. */
export function canEditComment(user: AuthUser, comment: Pick<CommentDoc, "authorId" | "status">): boolean {
  return comment.status === "visible" && comment.authorId === user.id;
}

/** The author deletes their own comment; the channel owner, its moderators and admins remove anyone's. */
export function removalKind(
  user: AuthUser,
  comment: Pick<CommentDoc, "authorId">,
  policy: ChatPolicy,
): "deleted" | "removed" | null {
  if (comment.authorId === user.id) return "deleted";
  if (moderatesChannel(user, policy)) return "removed";
  return null;
}

/** Comments per author in the window before a new one is refused with 429. */
export interface CommentRateLimit {
  max: number;
  windowMs: number;
}
