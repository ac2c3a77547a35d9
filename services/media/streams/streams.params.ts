/** fastest-validator schemas of every streams action, with the params type each one yields. */
import { ID } from "../../../lib/validation";

export const LIVE = {
  category: { type: "string", optional: true, min: 1, max: 64 },
  language: { type: "string", optional: true, min: 2, max: 16 },
  sort: { type: "enum", values: ["viewers", "recent"], optional: true },
  limit: { type: "number", integer: true, min: 1, max: 100, optional: true, convert: true },
  offset: { type: "number", integer: true, min: 0, max: 10000, optional: true, convert: true },
} as const;
export interface LiveListParams {
  category?: string;
  language?: string;
  sort?: "viewers" | "recent";
  limit?: number;
  offset?: number;
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
