/** fastest-validator schemas of the moderation actions. */
import { CURSOR_PAGE_PARAMS } from "../../../lib/pagination";
import { ID } from "../../../lib/validation";
import { ACTIONS, REASONS, TARGET_KINDS } from "./report.types";

export const CREATE_REPORT = {
  targetKind: { type: "enum", values: [...TARGET_KINDS] },
  targetId: ID,
  /** The channel of a chat message; the video of a comment. */
  channelId: { ...ID, optional: true },
  videoId: { ...ID, optional: true },
  reason: { type: "enum", values: [...REASONS] },
  text: { type: "string", max: 1000, optional: true },
  $$strict: "remove",
} as const;
export const LIST_REPORTS = {
  channelId: { ...ID, optional: true },
  status: { type: "enum", values: ["open", "resolved"], optional: true },
  targetKind: { type: "enum", values: [...TARGET_KINDS], optional: true },
  ...CURSOR_PAGE_PARAMS,
} as const;
export const BY_ID = { id: ID } as const;
export const ACT = {
  id: ID,
  action: { type: "enum", values: [...ACTIONS] },
  reason: { type: "string", min: 1, max: 500 },
  durationS: { type: "number", integer: true, min: 1, optional: true, convert: true },
  $$strict: "remove",
} as const;
export const ACCOUNT_ACTION = { userId: ID, reason: { type: "string", min: 1, max: 500 }, $$strict: "remove" } as const;
export const BY_USER = { userId: ID } as const;
export const LIST_AUDIT = {
  channelId: { ...ID, optional: true },
  ...CURSOR_PAGE_PARAMS,
} as const;
