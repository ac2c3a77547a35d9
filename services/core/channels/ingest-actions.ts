/** What ingest (the streams service) asks channels when a broadcaster connects. */
import type { ActionContext } from "../../../lib/contracts";
import { ForbiddenError } from "../../../lib/errors";
import type { ChannelsThis } from "./channels.context";
import type { StreamKeyOwner } from "./channels.contract";
import { isOwnerSuspended } from "./owner-suspension";
import { hashStreamKey, looksLikeStreamKey, streamKeyMatches } from "./stream-key";

/**
 * Which channel a stream key opens: 403 for anything else, and for a
 * suspended channel or a suspended owner's (checked on every publish, so a
 * suspension bites at the next connect).
 */
export async function verifyStreamKey(
  svc: ChannelsThis,
  ctx: ActionContext<"channels.verifyStreamKey">,
): Promise<StreamKeyOwner> {
  const refuse = () => new ForbiddenError("Invalid stream key");
  if (!looksLikeStreamKey(ctx.params.streamKey)) throw refuse();
  const channel = await svc.stores.channels.findOne({ streamKeyHash: hashStreamKey(ctx.params.streamKey) });
  if (!channel || !streamKeyMatches(ctx.params.streamKey, channel.streamKeyHash)) throw refuse();
  if (channel.suspendedAt) throw new ForbiddenError("Channel is suspended");
  if (await isOwnerSuspended(svc, channel.ownerId))
    throw new ForbiddenError("The channel owner's account is suspended");
  return { channelId: channel.id, ownerId: channel.ownerId };
}
