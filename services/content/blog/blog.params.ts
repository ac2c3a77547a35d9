/** fastest-validator schemas for every blog action, in one place for the service and its routes. */
import { CURSOR_PAGE_PARAMS } from "../../../lib/pagination";
import { COMMENT_MAX_LENGTH } from "../../../lib/moderation";
import { POST_KINDS, POST_STATUSES, POST_VISIBILITIES } from "./post.types";
import { SLUG_MAX_LENGTH, SLUG_PATTERN } from "./post-rules";

import { ID, IDS } from "../../../lib/validation";

export { ID };
/** "site" or a channel id. */
const BLOG = ID;
const SLUG = { type: "string", min: 1, max: SLUG_MAX_LENGTH, pattern: SLUG_PATTERN } as const;
const TITLE = { type: "string", min: 1, max: 200 } as const;
const SUMMARY = { type: "string", max: 1000, optional: true } as const;
/** Markdown source; 200 KB is a long feature with room to spare. */
const BODY = { type: "string", max: 200_000 } as const;
const CATEGORY = { type: "string", min: 1, max: 64, optional: true } as const;
const TAG = { type: "string", min: 1, max: 32 } as const;
const TAGS = { type: "array", items: TAG, max: 20, optional: true } as const;
const KIND = { type: "enum", values: [...POST_KINDS], optional: true } as const;
const SCORE = { type: "number", min: 0, max: 10, optional: true, convert: true } as const;
const VISIBILITY = { type: "enum", values: [...POST_VISIBILITIES], optional: true } as const;

export const CREATE_POST = {
  blog: BLOG,
  title: TITLE,
  body: BODY,
  summary: SUMMARY,
  slug: { ...SLUG, optional: true },
  category: CATEGORY,
  tags: TAGS,
  kind: KIND,
  reviewScore: SCORE,
  visibility: VISIBILITY,
  commentsClosed: { type: "boolean", optional: true },
  $$strict: "remove",
} as const;

export const UPDATE_POST = {
  id: ID,
  title: { ...TITLE, optional: true },
  body: { ...BODY, optional: true },
  summary: SUMMARY,
  slug: { ...SLUG, optional: true },
  category: { ...CATEGORY, nullable: true },
  tags: TAGS,
  kind: KIND,
  reviewScore: { ...SCORE, nullable: true },
  visibility: VISIBILITY,
  commentsClosed: { type: "boolean", optional: true },
  $$strict: "remove",
} as const;

export const BY_ID = { id: ID } as const;
export const BY_IDS = { ids: IDS } as const;
export const BY_SLUG = { blog: BLOG, slug: { type: "string", min: 1, max: 200 } } as const;
export const PUBLISH = { id: ID, at: { type: "date", convert: true, optional: true } } as const;
export const LIST_POSTS = {
  blog: { ...BLOG, optional: true },
  category: CATEGORY,
  tag: { ...TAG, optional: true },
  kind: KIND,
  authorId: { ...ID, optional: true },
  status: { type: "enum", values: [...POST_STATUSES], optional: true },
  ...CURSOR_PAGE_PARAMS,
} as const;
export const RELATED = {
  id: ID,
  limit: { type: "number", integer: true, min: 1, max: 20, optional: true, convert: true },
} as const;
export const RESTORE = { id: ID, revision: { type: "number", integer: true, min: 1, convert: true } } as const;
export const FEED = {
  blog: BLOG,
  format: { type: "enum", values: ["rss", "atom"] },
  category: CATEGORY,
  tag: { ...TAG, optional: true },
} as const;
export const COVER = {
  postId: ID,
  file: { type: "string", min: 5, max: 40, pattern: /^[a-f0-9]{20}\.(png|jpg|gif|webp)$/ },
} as const;
export const RERENDER = { all: { type: "boolean", optional: true, convert: true } } as const;
export const CHANNEL = { channelId: ID } as const;
export const EDITOR = { channelId: ID, userId: ID } as const;

const COMMENT_BODY = { type: "string", min: 1, max: COMMENT_MAX_LENGTH * 4 } as const;
export const CREATE_COMMENT = { postId: ID, body: COMMENT_BODY, parentId: { ...ID, optional: true } } as const;
export const LIST_COMMENTS = { postId: ID, rootId: { ...ID, optional: true }, ...CURSOR_PAGE_PARAMS } as const;
export const EDIT_COMMENT = { postId: ID, id: ID, body: COMMENT_BODY } as const;
export const COMMENT_REF = { postId: ID, id: ID } as const;
export const HIDE_COMMENT = { postId: ID, id: ID, hidden: { type: "boolean", convert: true } } as const;
