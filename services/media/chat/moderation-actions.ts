/** A room's durable moderation state: read by gateways and moderators, changed by moderation commands. */
import { requireUser } from "../../../lib/auth/ownership";
import { broadcastEvent, callAction, type ActionContext } from "../../../lib/contracts";
import { ValidationError } from "../../../lib/errors";
import { parseModCommand, type RoomModerationState } from "../../../lib/moderation";
import { authorize, changeModeration, readModeration } from "./chat-moderation";
import type { ChatThis } from "./chat.context";
import type { ModerationResult } from "./chat.contract";

/** A room's moderation state, for realtime gateways at room load and for comment rules (internal). */
export function getModeration(svc: ChatThis, ctx: ActionContext<"chat.getModeration">): Promise<RoomModerationState> {
  return readModeration(svc.stores.moderation, ctx.params.channelId, Date.now());
}

/** The same state for the broadcaster and moderators over REST. */
export async function viewModeration(
  svc: ChatThis,
  ctx: ActionContext<"chat.viewModeration">,
): Promise<RoomModerationState> {
  const policy = await callAction(ctx, "channels.getChatPolicy", { channelId: ctx.params.channelId });
  authorize(requireUser(ctx), policy, null);
  return readModeration(svc.stores.moderation, ctx.params.channelId, Date.now());
}

/** Runs a moderation command (ban, timeout, modes, blocked terms) and broadcasts the new state. */
export async function moderate(svc: ChatThis, ctx: ActionContext<"chat.moderate">): Promise<ModerationResult> {
  const user = requireUser(ctx);
  const command = parseModCommand(ctx.params.command);
  if (typeof command === "string") throw new ValidationError(command, [{ field: "command", message: command }]);
  const { channelId } = ctx.params;
  // Ban and timeout need the target's global roles: a moderator must not silence a site admin.
  const target = command.action === "ban" || command.action === "timeout" ? command.userId : null;
  const [policy, targetRoles] = await Promise.all([
    callAction(ctx, "channels.getChatPolicy", { channelId }),
    target ? svc.roleCache.roles(target) : Promise.resolve([]),
  ]);
  authorize(user, policy, command, targetRoles);
  const result = await changeModeration(svc.stores.moderation, channelId, command, user.id, Date.now());
  await svc.stores.moderationLog.insert({
    channelId,
    actorId: user.id,
    action: command.action,
    targetUserId: result.change.userId ?? null,
    detail: { ...command },
  });
  void broadcastEvent(svc.broker, "chat.moderation.changed", { channelId, state: result.state, change: result.change });
  return result;
}
