import type { ChannelDoc, ChannelMetadata } from "./channels.entities";

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
