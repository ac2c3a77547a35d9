/**
 * Threading of comments (VOD, blog): where a reply sits. Replies nest this
 * deep at most; a reply to a deeper comment attaches to its parent's level.
 */
export const MAX_COMMENT_DEPTH = 3;

export interface ThreadPlace {
  parentId: string | null;
  rootId: string | null;
  depth: number;
}

/** Position of a new comment in its thread (null parent: a top-level comment). */
export function placeReply(
  parent: { id: string; rootId: string | null; depth: number; parentId: string | null } | null,
): ThreadPlace {
  if (!parent) return { parentId: null, rootId: null, depth: 0 };
  const rootId = parent.rootId ?? parent.id;
  if (parent.depth + 1 > MAX_COMMENT_DEPTH) return { parentId: parent.parentId, rootId, depth: parent.depth };
  return { parentId: parent.id, rootId, depth: parent.depth + 1 };
}
