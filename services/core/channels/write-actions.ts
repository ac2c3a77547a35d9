/** Creating and configuring a channel, and its stream key. Only the owner (or an admin) changes a channel. */
import { randomUUID } from "node:crypto";
import { assertOwner, requireUser } from "../../../lib/auth/ownership";
import { broadcastEvent, type ActionContext } from "../../../lib/contracts";
import { ConflictError, ValidationError } from "../../../lib/errors";
import { markCreated } from "../../../lib/http/response-meta";
import { toPlainTags, toPlainText } from "../../../lib/text/plain-text";
import { loadChannel } from "./channel-lookup";
import { toPublicChannel, type PublicChannel } from "./channel-view";
import type { ChannelsThis } from "./channels.context";
import type { ChannelWithKey, RotatedStreamKey } from "./channels.contract";
import type { ChannelDoc } from "./channels.entities";
import { normalizeSlug, slugProblem } from "./slug";
import { generateStreamKey, hashStreamKey } from "./stream-key";

/** Titles are plain text; one that is only markup is no title. */
function cleanTitle(raw: string): string {
  const title = toPlainText(raw);
  if (!title) throw new ValidationError("title is empty after removing markup", [{ field: "title", message: "empty" }]);
  return title;
}

function checkedSlug(raw: string): string {
  const slug = normalizeSlug(raw);
  const problem = slugProblem(slug);
  if (problem) throw new ValidationError(problem, [{ field: "slug", message: problem }]);
  return slug;
}

/** Creates the caller's channel; the stream key is in this response and nowhere else. */
export async function createChannel(svc: ChannelsThis, ctx: ActionContext<"channels.create">): Promise<ChannelWithKey> {
  const user = requireUser(ctx);
  const slug = checkedSlug(ctx.params.slug);
  const title = cleanTitle(ctx.params.title);
  if (await svc.stores.channels.findOne({ ownerId: user.id })) throw new ConflictError("You already have a channel");
  if (await svc.stores.channels.findOne({ slug })) throw new ConflictError(`The slug "${slug}" is taken`);
  const streamKey = generateStreamKey();
  const channel = await svc.db.transaction(async () => {
    const created = await svc.stores.channels.insert({
      id: randomUUID(),
      ownerId: user.id,
      slug,
      title,
      category: ctx.params.category ? toPlainText(ctx.params.category) : null,
      tags: toPlainTags(ctx.params.tags),
      language: ctx.params.language ?? "en",
      mature: ctx.params.mature ?? false,
      streamKeyHash: hashStreamKey(streamKey),
      streamKeyRotatedAt: new Date(),
      isLive: false,
      liveSessionId: null,
      liveSince: null,
      followerCount: 0,
    });
    await svc.publishDurable("channel.created", {
      channelId: created.id,
      ownerId: created.ownerId,
      slug: created.slug,
      title: created.title,
      category: created.category,
      createdAt: created.createdAt.toISOString(),
    });
    return created;
  });
  markCreated(ctx, `/channels/${channel.id}`);
  return { channel: toPublicChannel(channel), streamKey };
}

/** Changes a channel's settings; publishes channel.updated. */
export async function updateChannel(svc: ChannelsThis, ctx: ActionContext<"channels.update">): Promise<PublicChannel> {
  const channel = await loadChannel(svc, ctx.params.id);
  assertOwner(ctx, channel.ownerId, "channel");
  const patch: Partial<ChannelDoc> = {};
  if (ctx.params.slug !== undefined) {
    const slug = checkedSlug(ctx.params.slug);
    if (slug !== channel.slug) {
      if (await svc.stores.channels.findOne({ slug })) throw new ConflictError(`The slug "${slug}" is taken`);
      patch.slug = slug;
    }
  }
  if (ctx.params.title !== undefined) patch.title = cleanTitle(ctx.params.title);
  if (ctx.params.category !== undefined)
    patch.category = ctx.params.category === null ? null : toPlainText(ctx.params.category);
  if (ctx.params.tags !== undefined) patch.tags = toPlainTags(ctx.params.tags);
  if (ctx.params.language !== undefined) patch.language = ctx.params.language;
  if (ctx.params.mature !== undefined) patch.mature = ctx.params.mature;
  const changed = Object.keys(patch);
  if (changed.length === 0) return toPublicChannel(channel);
  const updated = await svc.db.transaction(async () => {
    const saved = await svc.stores.channels.updateById(channel.id, patch);
    if (!saved) throw new Error("channel vanished during update");
    await svc.publishDurable("channel.updated", {
      channelId: saved.id,
      ownerId: saved.ownerId,
      changed,
      slug: saved.slug,
      title: saved.title,
      category: saved.category,
      tags: saved.tags,
      language: saved.language,
      mature: saved.mature,
      updatedAt: saved.updatedAt.toISOString(),
    });
    return saved;
  });
  return toPublicChannel(updated);
}

/** Issues a new stream key; the old one stops working at once. */
export async function rotateStreamKey(
  svc: ChannelsThis,
  ctx: ActionContext<"channels.rotateStreamKey">,
): Promise<RotatedStreamKey> {
  const channel = await loadChannel(svc, ctx.params.id);
  assertOwner(ctx, channel.ownerId, "channel");
  const streamKey = generateStreamKey();
  await svc.stores.channels.updateById(channel.id, {
    streamKeyHash: hashStreamKey(streamKey),
    streamKeyRotatedAt: new Date(),
  });
  await broadcastEvent(svc.broker, "channels.streamKey.rotated", { channelId: channel.id });
  return { channelId: channel.id, streamKey };
}
