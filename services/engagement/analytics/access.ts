/**
 * Who may read a channel's analytics: its owner and admins, decided here
 * (the service that owns the data) with the owner asked of the channels
 * service. Channels has no "editor" role of its own yet (the blog's channel
 * editors are the blog's); when it gets one, this is the one place to add it.
 */
import { isAdmin, requireUser } from "../../../lib/auth/ownership";
import { callAction } from "../../../lib/contracts";
import { ForbiddenError } from "../../../lib/errors";
import type { AnalyticsContext } from "./analytics.context";

export async function assertChannelReader(ctx: AnalyticsContext, channelId: string): Promise<void> {
  const user = requireUser(ctx);
  if (isAdmin(user)) return;
  const channel = await callAction(ctx, "channels.get", { id: channelId });
  if (channel.ownerId !== user.id) throw new ForbiddenError("Only the channel's owner sees its analytics");
}

export function assertAdmin(ctx: AnalyticsContext): void {
  if (!isAdmin(requireUser(ctx))) throw new ForbiddenError("Requires the admin role");
}
