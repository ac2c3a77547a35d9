import type { AuthUser } from "../../../lib/auth/auth-user";
import { moderatesChannel, type ChatPolicy } from "../../../lib/moderation";
import type { CommentDoc } from "./video.types";

export { MAX_COMMENT_DEPTH, placeReply } from "../../../lib/comments/thread";

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
