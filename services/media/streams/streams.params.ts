/** fastest-validator schemas of every streams action, with the params type each one yields. */
import { CURSOR_PAGE_PARAMS, type CursorPageParams } from "../../../lib/pagination";
import { ID } from "../../../lib/validation";

export const LIVE = {
  category: { type: "string", optional: true, min: 1, max: 64 },
  language: { type: "string", optional: true, min: 2, max: 16 },
  sort: { type: "enum", values: ["viewers", "recent"], optional: true },
  ...CURSOR_PAGE_PARAMS,
} as const;
export interface LiveListParams extends CursorPageParams {
  category?: string;
  language?: string;
  sort?: "viewers" | "recent";
}

export const BY_CHANNEL = { channelId: ID } as const;
export interface ByChannelParams {
  channelId: string;
}

export const BY_CHANNELS = { channelIds: { type: "array", items: ID, max: 200 } } as const;
export interface ByChannelsParams {
  channelIds: string[];
}

export const UPDATE = {
  channelId: ID,
  title: { type: "string", optional: true, min: 1, max: 140, trim: true },
  category: { type: "string", optional: true, nullable: true, min: 1, max: 64, trim: true },
  $$strict: "remove",
} as const;
export interface UpdateParams {
  channelId: string;
  title?: string;
  category?: string | null;
}

/** Plain events other nodes send: checked before a handler trusts them. */
export const VIEWERS_SAMPLED = {
  channelId: ID,
  viewerCount: { type: "number", integer: true, min: 0 },
  at: { type: "string", max: 40 },
} as const;
export const END_REQUESTED = { sessionId: ID } as const;
