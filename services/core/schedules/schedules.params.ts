/** fastest-validator schemas of the schedules actions. */
import { CURSOR_PAGE_PARAMS } from "../../../lib/pagination";
import { ID } from "../../../lib/validation";

const TITLE = { type: "string", min: 1, max: 140, trim: true } as const;
const CATEGORY = { type: "string", max: 64, optional: true, nullable: true, trim: true } as const;
const START = { type: "date", convert: true } as const;
/** Twitch allows 30 minutes to 23 hours; a short warm-up show is fine here too. */
const DURATION = { type: "number", integer: true, min: 5, max: 1440, convert: true } as const;
const TIMEZONE = { type: "string", min: 1, max: 64, optional: true } as const;

export const CHANNEL = { channelId: ID } as const;
export const GET_SCHEDULE = {
  channelId: ID,
  from: { ...START, optional: true },
  ...CURSOR_PAGE_PARAMS,
} as const;
export const CREATE_SEGMENT = {
  channelId: ID,
  title: TITLE,
  category: CATEGORY,
  startAt: START,
  durationMin: DURATION,
  recurring: { type: "boolean", optional: true, convert: true },
  timezone: TIMEZONE,
  $$strict: "remove",
} as const;
export const UPDATE_SEGMENT = {
  channelId: ID,
  segmentId: ID,
  title: { ...TITLE, optional: true },
  category: CATEGORY,
  startAt: { ...START, optional: true },
  durationMin: { ...DURATION, optional: true },
  recurring: { type: "boolean", optional: true, convert: true },
  timezone: TIMEZONE,
  cancelled: { type: "boolean", optional: true, convert: true },
  /** Single occurrences, by their start, to call off or to bring back. */
  cancelOccurrences: { type: "array", items: START, max: 100, optional: true },
  restoreOccurrences: { type: "array", items: START, max: 100, optional: true },
  $$strict: "remove",
} as const;
export const SEGMENT = { channelId: ID, segmentId: ID } as const;
