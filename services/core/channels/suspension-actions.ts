/**
 * Admins ban a channel from broadcasting. Ingest checks the flag on every
 * publish (channels.verifyStreamKey) and drops a live broadcaster at once
 * (plain channels.suspended). The durable channel.suspended /
 * channel.unsuspended, committed with the flag, tell consumers that must not
 * miss it (search hides the channel and shows it again).
 */
import { requireRole } from "../../../lib/auth/ownership";
import { broadcastEvent, type ActionContext } from "../../../lib/contracts";
import { toPlainText } from "../../../lib/text/plain-text";
import { loadChannel } from "./channel-lookup";
import type { ChannelsThis } from "./channels.context";
import type { ChannelSuspensionState, SuspensionResult } from "./channels.contract";
import { suspensionKey } from "./channels.events";

/** Its stream key stops working and any live broadcast ends. */
export async function suspendChannel(
  svc: ChannelsThis,
  ctx: ActionContext<"channels.suspend">,
): Promise<SuspensionResult> {
  requireRole(ctx, "admin");
  const channel = await loadChannel(svc, ctx.params.id);
  const suspendedAt = new Date();
  const reason = toPlainText(ctx.params.reason) || "suspended";
  await svc.db.transaction(async () => {
    await svc.stores.channels.updateById(channel.id, { suspendedAt, suspensionReason: reason });
    await svc.publishDurable(
      "channel.suspended",
      { channelId: channel.id, ownerId: channel.ownerId, suspended: true, at: suspendedAt.toISOString() },
      { key: suspensionKey(channel.id) },
    );
  });
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
  await svc.db.transaction(async () => {
    await svc.stores.channels.updateById(channel.id, { suspendedAt: null, suspensionReason: null });
    await svc.publishDurable(
      "channel.unsuspended",
      { channelId: channel.id, ownerId: channel.ownerId, suspended: false, at: new Date().toISOString() },
      { key: suspensionKey(channel.id) },
    );
  });
  return { channelId: channel.id, suspended: false, suspendedAt: null, reason: null };
}

/** Internal (search's reindex re-reads what events may have missed): suspension state of known channels. */
export async function channelSuspensions(
  svc: ChannelsThis,
  ctx: ActionContext<"channels.suspensions">,
): Promise<{ items: ChannelSuspensionState[] }> {
  const channels = await svc.stores.channels.findByIds(ctx.params.ids);
  return {
    items: channels.map((c) => ({ channelId: c.id, suspended: c.suspendedAt !== null && c.suspendedAt !== undefined })),
  };
}
