import type { ServiceActionsSchema } from "moleculer";
import { assertOwner } from "../../../lib/auth/ownership";
import { ValidationError } from "../../../lib/errors";
import { ID } from "../core-service";
import { memberId, type ChannelRole } from "./channel-view";
import { MODERATION_CHANGED_EVENT, type ChatPolicy } from "./channels.events";
import type { ChannelsCtx, ChannelsThis } from "./channels.service";

export interface MemberParams {
  id: string;
  userId: string;
}

/**
 * Moderators and VIPs are named by the channel owner only. Every change is
 * broadcast with the full policy so realtime nodes replace, never patch,
 * their copy (a missed event heals at the next one).
 */
async function setMember(
  self: ChannelsThis,
  ctx: ChannelsCtx<MemberParams>,
  role: ChannelRole,
  present: boolean,
): Promise<ChatPolicy> {
  const channel = await self.loadChannel(ctx.params.id);
  assertOwner(ctx, channel.ownerId, "channel");
  if (ctx.params.userId === channel.ownerId)
    throw new ValidationError("The owner already has every right", [{ field: "userId", message: "is the owner" }]);
  const id = memberId(channel.id, ctx.params.userId, role);
  if (present) {
    await ctx.call("users.get", { id: ctx.params.userId }); // 404 for an unknown user
    await self.stores.members.insertIfAbsent({ id, channelId: channel.id, userId: ctx.params.userId, role });
  } else {
    await self.stores.members.removeById(id);
  }
  const policy = await self.chatPolicy(channel);
  await self.broker.broadcast(MODERATION_CHANGED_EVENT, policy);
  return policy;
}

const member = { id: ID, userId: ID };

export const channelMemberActions: ServiceActionsSchema = {
  /** Owner names a moderator. */
  addModerator: {
    params: member,
    handler(this: ChannelsThis, ctx: ChannelsCtx<MemberParams>): Promise<ChatPolicy> {
      return setMember(this, ctx, "moderator", true);
    },
  },
  removeModerator: {
    params: member,
    handler(this: ChannelsThis, ctx: ChannelsCtx<MemberParams>): Promise<ChatPolicy> {
      return setMember(this, ctx, "moderator", false);
    },
  },
  /** Owner names a VIP. */
  addVip: {
    params: member,
    handler(this: ChannelsThis, ctx: ChannelsCtx<MemberParams>): Promise<ChatPolicy> {
      return setMember(this, ctx, "vip", true);
    },
  },
  removeVip: {
    params: member,
    handler(this: ChannelsThis, ctx: ChannelsCtx<MemberParams>): Promise<ChatPolicy> {
      return setMember(this, ctx, "vip", false);
    },
  },
};
