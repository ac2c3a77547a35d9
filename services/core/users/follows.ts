import type { BaseDocument } from "../../../mixins/db/entity";

/** Follows and blocks, keyed so that writing one twice is a no-op. */
export interface FollowDoc extends BaseDocument {
  userId: string;
  channelId: string;
}

export interface BlockDoc extends BaseDocument {
  userId: string;
  blockedUserId: string;
}

export function followId(userId: string, channelId: string): string {
  return `${userId}:${channelId}`;
}

export function blockId(userId: string, blockedUserId: string): string {
  return `${userId}:${blockedUserId}`;
}
