/** fastest-validator schemas of the clips actions. */
import { CURSOR_PAGE_PARAMS } from "../../../lib/pagination";
import { ID } from "../../../lib/validation";
import { MAX_CLIP_S, MIN_CLIP_S } from "./clip-cut";

const TITLE = { type: "string", min: 1, max: 100 } as const;

export const CREATE_CLIP = {
  /** Clip the live stream of this channel (the last `durationS` seconds)… */
  channelId: { ...ID, optional: true },
  /** …or this VOD, from `startS`. */
  videoId: { ...ID, optional: true },
  startS: { type: "number", min: 0, max: 86_400 * 2, optional: true, convert: true },
  durationS: { type: "number", min: MIN_CLIP_S, max: MAX_CLIP_S, convert: true },
  title: TITLE,
  $$strict: "remove",
} as const;
export const BY_ID = { id: ID } as const;
export const LIST_CLIPS = {
  channelId: { ...ID, optional: true },
  ...CURSOR_PAGE_PARAMS,
} as const;
export const CREATE_MARKER = {
  channelId: ID,
  description: { type: "string", max: 140, optional: true },
  $$strict: "remove",
} as const;
export const LIST_MARKERS = { channelId: ID, ...CURSOR_PAGE_PARAMS } as const;
export const MARKER_REF = { channelId: ID, markerId: ID } as const;
export const VIDEO_MARKERS = { videoId: ID } as const;
