/**
 * A deleted user's channel goes (with its stream key hash and its members),
 * `channel.deleted` tells the services holding data of the channel, a live
 * broadcast is dropped, and the user leaves every other channel's moderator
 * and VIP lists. Idempotent: a redelivered user.deleted finds nothing left.
 */
import { broadcastEvent } from "../../../lib/contracts";
import type { ChatPolicy } from "../../../lib/moderation";
import type { ArenaContext } from "../../../lib/contracts";
import { assertSelfOrAdmin, withoutFields, type UserDataParams } from "../../../lib/contracts/user-data";
import { durableHandler } from "../../../mixins/durable-events";
import type { UserDeleted } from "../identity/identity.events";
import { chatPolicyOf } from "./channel-lookup";
import type { ChannelsThis } from "./channels.context";
import type { ChannelsUserData } from "./channels.contract";

async function deleteUserChannels(svc: ChannelsThis, user: UserDeleted): Promise<void> {
  const owned = await svc.stores.channels.find({ query: { ownerId: user.userId } });
  const droppedLive: string[] = [];
  const policies: ChatPolicy[] = [];
  for (const channel of owned) {
    await svc.stores.members.removeMany({ channelId: channel.id });
    await svc.stores.channels.removeById(channel.id);
    if (channel.isLive) droppedLive.push(channel.id);
    await svc.publishDurable("channel.deleted", {
      channelId: channel.id,
      ownerId: channel.ownerId,
      slug: channel.slug,
      deletedAt: user.deletedAt,
    });
  }
  await svc.db.query("DELETE FROM owner_suspensions WHERE user_id = $1", [user.userId]);
  const memberships = await svc.stores.members.find({ query: { userId: user.userId } });
  await svc.stores.members.removeMany({ userId: user.userId });
  for (const channelId of new Set(memberships.map((m) => m.channelId))) {
    const channel = await svc.stores.channels.findById(channelId);
    if (channel) policies.push(await chatPolicyOf(svc, channel));
  }
  // Plain signals: ingest drops the broadcaster (its key no longer verifies anyway), chat nodes replace the policy.
  for (const channelId of droppedLive) await broadcastEvent(svc.broker, "channels.suspended", { channelId });
  for (const policy of policies) await broadcastEvent(svc.broker, "channels.moderation.changed", policy);
}

export const userDeletionHandlers = {
  ...durableHandler("user.deleted", {
    group: "channels",
    async handler(this: ChannelsThis, envelope) {
      await deleteUserChannels(this, envelope.payload);
    },
  }),
};

/** channels' part of GET /me/export: what it holds of the user. */
export async function exportUserData(svc: ChannelsThis, ctx: ArenaContext<UserDataParams>): Promise<ChannelsUserData> {
  assertSelfOrAdmin(ctx);
  const { userId } = ctx.params;
  const channels = await svc.stores.channels.find({ query: { ownerId: userId } });
  const memberships = await svc.stores.members.find({ query: { userId } });
  // The stream key's hash is a credential, not the user's data.
  return { channels: channels.map((channel) => withoutFields(channel, ["streamKeyHash"])), memberships };
}
