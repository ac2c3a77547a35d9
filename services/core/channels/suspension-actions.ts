import type { ServiceActionsSchema } from "moleculer";
import { requireRole } from "../../../lib/auth/ownership";
import { ID } from "../core-service";
import { plainText } from "../plain-text";
import { CHANNEL_SUSPENDED_EVENT, type ChannelSuspended } from "./channels.events";
import type { ChannelsCtx, ChannelsThis } from "./channels.service";

export interface SuspendParams {
  id: string;
  reason: string;
}

export interface SuspensionResult {
  channelId: string;
  suspended: boolean;
  suspendedAt: string | null;
  reason: string | null;
}

/**
 * Admins ban a channel from broadcasting. Ingest checks the flag on every
 * publish (channels.verifyStreamKey) and drops a live broadcaster at once.
 */
export const channelSuspensionActions: ServiceActionsSchema = {
  /** Suspends a channel (admin): its stream key stops working and any live broadcast ends. */
  suspend: {
    params: { id: ID, reason: { type: "string", min: 1, max: 500, trim: true } },
    async handler(this: ChannelsThis, ctx: ChannelsCtx<SuspendParams>): Promise<SuspensionResult> {
      requireRole(ctx, "admin");
      const channel = await this.loadChannel(ctx.params.id);
      const suspendedAt = new Date();
      const reason = plainText(ctx.params.reason) || "suspended";
      await this.stores.channels.updateById(channel.id, { suspendedAt, suspensionReason: reason });
      await this.broker.broadcast(CHANNEL_SUSPENDED_EVENT, { channelId: channel.id } satisfies ChannelSuspended);
      return { channelId: channel.id, suspended: true, suspendedAt: suspendedAt.toISOString(), reason };
    },
  },

  /** Lifts a suspension (admin); the existing stream key works again. */
  unsuspend: {
    params: { id: ID },
    async handler(this: ChannelsThis, ctx: ChannelsCtx<{ id: string }>): Promise<SuspensionResult> {
      requireRole(ctx, "admin");
      const channel = await this.loadChannel(ctx.params.id);
      await this.stores.channels.updateById(channel.id, { suspendedAt: null, suspensionReason: null });
      return { channelId: channel.id, suspended: false, suspendedAt: null, reason: null };
    },
  },
};
