/** fastest-validator schemas of every channels action, with the params type each one yields. */
import { CURSOR_PAGE_PARAMS, type CursorPageParams } from "../../../lib/pagination";
import { ID, IDS } from "../../../lib/validation";

export const BY_ID = { id: ID } as const;
export interface ByIdParams {
  id: string;
}

export const BY_SLUG = { slug: { type: "string", min: 1, max: 64 } } as const;
export interface BySlugParams {
  slug: string;
}

export const BY_IDS = { ids: IDS } as const;
export interface ByIdsParams {
  ids: string[];
}

export const LIST_CHANNELS = {
  category: { type: "string", max: 64, optional: true },
  live: { type: "boolean", convert: true, optional: true },
  ownerId: { ...ID, optional: true },
  ...CURSOR_PAGE_PARAMS,
} as const;
export interface ListChannelsParams extends CursorPageParams {
  category?: string;
  live?: boolean;
  ownerId?: string;
}

export const CHAT_POLICY = { channelId: ID } as const;
export interface ChatPolicyParams {
  channelId: string;
}

/** What the owner may set on create and update. */
const EDITABLE = {
  title: { type: "string", min: 1, max: 140, trim: true },
  category: { type: "string", min: 1, max: 64, trim: true, optional: true, nullable: true },
  tags: { type: "array", max: 10, optional: true, items: { type: "string", min: 1, max: 25 } },
  language: { type: "string", pattern: "^[a-z]{2}(-[A-Z]{2})?$", optional: true },
  mature: { type: "boolean", optional: true },
} as const;

export const CREATE_CHANNEL = { slug: { type: "string", min: 1, max: 64 }, ...EDITABLE, $$strict: "remove" } as const;
export interface CreateChannelParams {
  slug: string;
  title: string;
  category?: string | null;
  tags?: string[];
  language?: string;
  mature?: boolean;
}

export const UPDATE_CHANNEL = {
  id: ID,
  slug: { type: "string", min: 1, max: 64, optional: true },
  ...EDITABLE,
  title: { ...EDITABLE.title, optional: true },
  $$strict: "remove",
} as const;
export interface UpdateChannelParams extends Partial<CreateChannelParams> {
  id: string;
}

export const VERIFY_STREAM_KEY = { streamKey: { type: "string", min: 1, max: 256 } } as const;
export interface StreamKeyParams {
  streamKey: string;
}

export const MEMBER = { id: ID, userId: ID } as const;
export interface MemberParams {
  id: string;
  userId: string;
}

export const SUSPEND = { id: ID, reason: { type: "string", min: 1, max: 500, trim: true } } as const;
export interface SuspendParams {
  id: string;
  reason: string;
}
