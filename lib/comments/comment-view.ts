/**
 * What a comment shows wherever it is posted (under a VOD, under a blog post):
 * one view and one response schema, each service adding the key of what the
 * comment is on (`videoId`, `postId`) and its own list of statuses.
 */
import { s } from "../http/response-schema";

export interface CommentViewBase<Status extends string> {
  id: string;
  authorId: string | null;
  authorName: string | null;
  parentId: string | null;
  rootId: string | null;
  depth: number;
  body: string;
  status: Status;
  edited: boolean;
  replyCount: number;
  createdAt: string;
}

/** The schemas of CommentViewBase's fields, for `s.object<View>()({ ...commentViewFields(STATUSES), postId })`. */
export function commentViewFields<Status extends string>(statuses: readonly Status[]) {
  return {
    id: s.string(),
    authorId: s.nullable(s.string()),
    authorName: s.nullable(s.string()),
    parentId: s.nullable(s.string()),
    rootId: s.nullable(s.string()),
    depth: s.integer(),
    body: s.string(),
    status: s.enum(statuses),
    edited: s.boolean(),
    replyCount: s.integer(),
    createdAt: s.dateTime(),
  };
}

/**
 * The schemas of the stored comment fields both services keep, for their data export records
 * (`{ ...STORED_DOCUMENT_FIELDS, postId, ..., ...commentRecordFields(STATUSES) }`): the author as stored, never null.
 */
export function commentRecordFields<Status extends string>(statuses: readonly Status[]) {
  return {
    authorId: s.string(),
    authorName: s.string(),
    parentId: s.nullable(s.string()),
    rootId: s.nullable(s.string()),
    depth: s.integer(),
    body: s.string(),
    status: s.enum(statuses),
    editedAt: s.nullable(s.date()),
    replyCount: s.integer(),
  };
}
