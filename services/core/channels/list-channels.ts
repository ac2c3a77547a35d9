import type { EntityStore, StoreQuery } from "../../../mixins/db/entity-store";
import { paging, type Page } from "../core-service";
import { toPublicChannel, type ChannelDoc, type PublicChannel } from "./channel-view";

export interface ListChannelsParams {
  category?: string;
  live?: boolean;
  ownerId?: string;
  limit?: number;
  offset?: number;
}

export async function listChannels(
  store: EntityStore<ChannelDoc>,
  params: ListChannelsParams,
): Promise<Page<PublicChannel>> {
  const { limit, offset } = paging(params);
  const query: StoreQuery = {};
  if (params.category !== undefined) query.category = params.category;
  if (params.live !== undefined) query.isLive = params.live;
  if (params.ownerId !== undefined) query.ownerId = params.ownerId;
  const [channels, total] = await Promise.all([
    store.find({ query, sort: ["-isLive", "-followerCount", "createdAt", "id"], limit, offset }),
    store.count(query),
  ]);
  return { items: channels.map(toPublicChannel), total, limit, offset };
}
