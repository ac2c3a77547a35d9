/** fastest-validator schemas for every videos action, in one place for the service and its routes. */
import { VISIBILITIES, VIDEO_STATUSES } from "./video.types";
import { COMMENT_MAX_LENGTH } from "../../../lib/moderation";
import { CURSOR_PAGE_PARAMS } from "../../../lib/pagination";
import { ID } from "../../../lib/validation";
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
