import type { BaseDocument } from "../../../mixins/db/entity";

/** What describes a channel wherever it travels: stored, shown, or in events. */
export interface ChannelMetadata {
  ownerId: string;
  slug: string;
  title: string;
  category: string | null;
  tags: string[];
  language: string;
  mature: boolean;
}

export interface ChannelDoc extends BaseDocument, ChannelMetadata {
  streamKeyHash: string | null;
  streamKeyRotatedAt: Date | null;
  isLive: boolean;
  liveSessionId: string | null;
  liveSince: Date | null;
  followerCount: number;
  /** Set while an admin has suspended the channel from broadcasting. */
  suspendedAt: Date | null;
  suspensionReason: string | null;
}

export type ChannelRole = "moderator" | "vip";

export interface ChannelMemberDoc extends BaseDocument {
  channelId: string;
  userId: string;
  role: ChannelRole;
}

/** What anyone may see of a channel: never the stream key hash. */
export interface PublicChannel extends ChannelMetadata {
  id: string;
  isLive: boolean;
  liveSince: string | null;
  followerCount: number;
  createdAt: string;
  updatedAt: string;
}

export function toPublicChannel(channel: ChannelDoc): PublicChannel {
  return {
    id: channel.id,
    ownerId: channel.ownerId,
    slug: channel.slug,
    title: channel.title,
    category: channel.category,
    tags: channel.tags,
    language: channel.language,
    mature: channel.mature,
    isLive: channel.isLive,
    liveSince: channel.liveSince ? new Date(channel.liveSince).toISOString() : null,
    followerCount: channel.followerCount,
    createdAt: new Date(channel.createdAt).toISOString(),
    updatedAt: new Date(channel.updatedAt).toISOString(),
  };
}

export function memberId(channelId: string, userId: string, role: ChannelRole): string {
  return `${channelId}:${userId}:${role}`;
}
