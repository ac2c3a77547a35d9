/** fastest-validator schemas for every videos action, in one place for the service and its routes. */
import { VISIBILITIES, VIDEO_STATUSES } from "./video.types";
import { COMMENT_MAX_LENGTH } from "../../../lib/moderation";
import { CURSOR_PAGE_PARAMS } from "../../../lib/pagination";
import { ID, ID_MAX_LENGTH } from "../../../lib/validation";
import { VIDEO_SORTS } from "./video-rules";

const TITLE = { type: "string", min: 1, max: 200 } as const;
const DESCRIPTION = { type: "string", max: 5000, optional: true } as const;
const CATEGORY = { type: "string", max: 64, optional: true } as const;
const TAGS = { type: "array", items: { type: "string", min: 1, max: 32 }, max: 20, optional: true } as const;
const VISIBILITY = { type: "enum", values: [...VISIBILITIES], optional: true } as const;

export const CREATE_VIDEO = {
  channelId: ID,
  title: TITLE,
  description: DESCRIPTION,
  category: CATEGORY,
  tags: TAGS,
  visibility: VISIBILITY,
  $$strict: "remove",
} as const;
export const UPDATE_VIDEO = {
  id: ID,
  title: { ...TITLE, optional: true },
  description: DESCRIPTION,
  category: { type: "string", max: 64, optional: true, nullable: true },
  tags: TAGS,
  visibility: VISIBILITY,
  $$strict: "remove",
} as const;
export const BY_ID = { id: ID } as const;
export const BY_IDS = { ids: { type: "array", items: ID, max: 200 } } as const;
/** The most ids GET /me/videos takes in one call (a dashboard polls at most a page of rows). */
export const ID_LIST_MAX = 50;
const ID_CHARS = `[A-Za-z0-9_-]{1,${ID_MAX_LENGTH}}`;
/**
 * `?ids=a,b`: comma-separated ids, as a query string carries a list. One pattern rule (not a custom one) so the
 * OpenAPI document publishes it and a count over the bound or a malformed id is the validator's 400.
 */
export const ID_LIST = {
  ids: {
    type: "string",
    min: 1,
    max: ID_LIST_MAX * (ID_MAX_LENGTH + 1),
    pattern: new RegExp(`^${ID_CHARS}(,${ID_CHARS}){0,${ID_LIST_MAX - 1}}$`),
    messages: { stringPattern: `'ids' must be 1 to ${ID_LIST_MAX} comma-separated ids (letters, digits, _ and -)` },
  },
} as const;
export const LIST_VIDEOS = {
  channelId: { ...ID, optional: true },
  category: CATEGORY,
  tag: { type: "string", min: 1, max: 32, optional: true },
  visibility: VISIBILITY,
  status: { type: "enum", values: [...VIDEO_STATUSES], optional: true },
  sort: { type: "enum", values: [...VIDEO_SORTS], optional: true },
  ...CURSOR_PAGE_PARAMS,
} as const;
export const UPLOAD_URL = {
  id: ID,
  contentType: { type: "string", min: 3, max: 100 },
  size: { type: "number", integer: true, positive: true, convert: true },
} as const;
export const COMPLETE_UPLOAD = {
  id: ID,
  uploadId: { type: "string", min: 1, max: 1024, optional: true },
  parts: {
    type: "array",
    optional: true,
    min: 1,
    max: 10000,
    items: {
      type: "object",
      strict: "remove",
      props: {
        partNumber: { type: "number", integer: true, min: 1, max: 10000 },
        etag: { type: "string", min: 1, max: 200 },
      },
    },
  },
} as const;
export const CREATE_COMMENT = {
  videoId: ID,
  body: { type: "string", min: 1, max: COMMENT_MAX_LENGTH * 4 },
  parentId: { ...ID, optional: true },
} as const;
export const LIST_COMMENTS = {
  videoId: ID,
  rootId: { ...ID, optional: true },
  ...CURSOR_PAGE_PARAMS,
} as const;
export const EDIT_COMMENT = {
  videoId: ID,
  id: ID,
  body: { type: "string", min: 1, max: COMMENT_MAX_LENGTH * 4 },
} as const;
export const COMMENT_REF = { videoId: ID, id: ID } as const;
