/**
 * Moderators and VIPs are named by the channel owner only. Every change is
 * broadcast with the full policy so realtime nodes replace, never patch,
 * their copy (a missed event heals at the next one).
 */
import { assertOwner } from "../../../lib/auth/ownership";
import { broadcastEvent, callAction, type ActionContext } from "../../../lib/contracts";
import { ValidationError } from "../../../lib/errors";
import type { ChatPolicy } from "../../../lib/moderation";
import { chatPolicyOf, loadChannel } from "./channel-lookup";
import type { ChannelsThis } from "./channels.context";
import { memberId, type ChannelRole } from "./channels.entities";

type MemberAction = "channels.addModerator" | "channels.removeModerator" | "channels.addVip" | "channels.removeVip";

async function setMember(
  svc: ChannelsThis,
  ctx: ActionContext<MemberAction>,
  role: ChannelRole,
  present: boolean,
): Promise<ChatPolicy> {
  const channel = await loadChannel(svc, ctx.params.id);
  assertOwner(ctx, channel.ownerId, "channel");
  if (ctx.params.userId === channel.ownerId)
    throw new ValidationError("The owner already has every right", [{ field: "userId", message: "is the owner" }]);
  const id = memberId(channel.id, ctx.params.userId, role);
  if (present) {
    await callAction(ctx, "users.get", { id: ctx.params.userId }); // 404 for an unknown user
    await svc.stores.members.insertIfAbsent({ id, channelId: channel.id, userId: ctx.params.userId, role });
  } else {
    await svc.stores.members.removeById(id);
  }
  const policy = await chatPolicyOf(svc, channel);
  await broadcastEvent(svc.broker, "channels.moderation.changed", policy);
  return policy;
}

export const addModerator = (svc: ChannelsThis, ctx: ActionContext<"channels.addModerator">) =>
  setMember(svc, ctx, "moderator", true);
export const removeModerator = (svc: ChannelsThis, ctx: ActionContext<"channels.removeModerator">) =>
  setMember(svc, ctx, "moderator", false);
export const addVip = (svc: ChannelsThis, ctx: ActionContext<"channels.addVip">) => setMember(svc, ctx, "vip", true);
export const removeVip = (svc: ChannelsThis, ctx: ActionContext<"channels.removeVip">) =>
  setMember(svc, ctx, "vip", false);
