/**
 * Admins ban a channel from broadcasting. Ingest checks the flag on every
 * publish (channels.verifyStreamKey) and drops a live broadcaster at once.
 */
import { requireRole } from "../../../lib/auth/ownership";
import { broadcastEvent, type ActionContext } from "../../../lib/contracts";
import { toPlainText } from "../../../lib/text/plain-text";
import { loadChannel } from "./channel-lookup";
import type { ChannelsThis } from "./channels.context";
import type { SuspensionResult } from "./channels.contract";

/** Its stream key stops working and any live broadcast ends. */
export async function suspendChannel(
  svc: ChannelsThis,
  ctx: ActionContext<"channels.suspend">,
): Promise<SuspensionResult> {
  requireRole(ctx, "admin");
  const channel = await loadChannel(svc, ctx.params.id);
  const suspendedAt = new Date();
  const reason = toPlainText(ctx.params.reason) || "suspended";
  await svc.stores.channels.updateById(channel.id, { suspendedAt, suspensionReason: reason });
  await broadcastEvent(svc.broker, "channels.suspended", { channelId: channel.id });
  return { channelId: channel.id, suspended: true, suspendedAt: suspendedAt.toISOString(), reason };
}

/** The existing stream key works again. */
export async function unsuspendChannel(
  svc: ChannelsThis,
  ctx: ActionContext<"channels.unsuspend">,
): Promise<SuspensionResult> {
  requireRole(ctx, "admin");
  const channel = await loadChannel(svc, ctx.params.id);
  await svc.stores.channels.updateById(channel.id, { suspendedAt: null, suspensionReason: null });
  return { channelId: channel.id, suspended: false, suspendedAt: null, reason: null };
}
