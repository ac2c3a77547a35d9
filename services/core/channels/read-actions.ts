/** Reading channels: anyone may, and nothing here ever shows a stream key hash. */
import type { ActionContext } from "../../../lib/contracts";
import { NotFoundError } from "../../../lib/errors";
import type { ChatPolicy } from "../../../lib/moderation";
import { paging, type Page } from "../../../lib/pagination";
import type { StoreQuery } from "../../../mixins/db";
import { chatPolicyOf, loadChannel } from "./channel-lookup";
import { toPublicChannel, type PublicChannel } from "./channel-view";
import type { ChannelsThis } from "./channels.context";

export async function getChannel(svc: ChannelsThis, ctx: ActionContext<"channels.get">): Promise<PublicChannel> {
  return toPublicChannel(await loadChannel(svc, ctx.params.id));
}

export async function getChannelBySlug(
  svc: ChannelsThis,
  ctx: ActionContext<"channels.getBySlug">,
): Promise<PublicChannel> {
  const channel = await svc.stores.channels.findOne({ slug: ctx.params.slug.toLowerCase() });
  if (!channel) throw new NotFoundError("Channel", ctx.params.slug);
  return toPublicChannel(channel);
}

export async function getManyChannels(
  svc: ChannelsThis,
  ctx: ActionContext<"channels.getMany">,
): Promise<PublicChannel[]> {
  return (await svc.stores.channels.findByIds(ctx.params.ids)).map(toPublicChannel);
}

/** Live channels first, then the most followed. */
export async function listChannels(
  svc: ChannelsThis,
  ctx: ActionContext<"channels.list">,
): Promise<Page<PublicChannel>> {
  const params = ctx.params;
  const { limit, offset } = paging(params);
  const query: StoreQuery = {};
  if (params.category !== undefined) query.category = params.category;
  if (params.live !== undefined) query.isLive = params.live;
  if (params.ownerId !== undefined) query.ownerId = params.ownerId;
  const store = svc.stores.channels;
  const [channels, total] = await Promise.all([
    store.find({ query, sort: ["-isLive", "-followerCount", "createdAt", "id"], limit, offset }),
    store.count(query),
  ]);
  return { items: channels.map(toPublicChannel), total, limit, offset };
}

export async function getChatPolicy(
  svc: ChannelsThis,
  ctx: ActionContext<"channels.getChatPolicy">,
): Promise<ChatPolicy> {
  return chatPolicyOf(svc, await loadChannel(svc, ctx.params.channelId));
}
