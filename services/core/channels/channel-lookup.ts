import { NotFoundError } from "../../../lib/errors";
import type { ChatPolicy } from "../../../lib/moderation";
import type { ChannelsThis } from "./channels.context";
import type { ChannelDoc } from "./channels.entities";

/** A channel by id, or 404. */
export async function loadChannel(svc: ChannelsThis, id: string): Promise<ChannelDoc> {
  const channel = await svc.stores.channels.findById(id);
  if (!channel) throw new NotFoundError("Channel", id);
  return channel;
}

/** Owner, moderators and VIPs of a channel, as chat, comments and the realtime gateway decide with them. */
export async function chatPolicyOf(svc: ChannelsThis, channel: ChannelDoc): Promise<ChatPolicy> {
  const members = await svc.stores.members.find({
    query: { channelId: channel.id },
    sort: ["createdAt", "id"],
    limit: 10000,
  });
  return {
    channelId: channel.id,
    ownerId: channel.ownerId,
    moderatorIds: members.filter((m) => m.role === "moderator").map((m) => m.userId),
    vipIds: members.filter((m) => m.role === "vip").map((m) => m.userId),
  };
}
