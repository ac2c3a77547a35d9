import type { ServiceActionsSchema } from "moleculer";
import { randomUUID } from "node:crypto";
import { assertOwner, requireUser } from "../../../lib/auth/ownership";
import { ConflictError, ForbiddenError, ValidationError } from "../../../lib/errors";
import { ID, markCreated } from "../core-service";
import { plainText } from "../plain-text";
import { toPublicChannel, type ChannelDoc, type PublicChannel } from "./channel-view";
import { STREAM_KEY_ROTATED_EVENT, type StreamKeyRotated } from "./channels.events";
import type { ChannelsCtx, ChannelsThis } from "./channels.service";
import { normalizeSlug, normalizeTags, slugProblem } from "./slug";
import { generateStreamKey, hashStreamKey, looksLikeStreamKey, streamKeyMatches } from "./stream-key";

export interface CreateChannelParams {
  slug: string;
  title: string;
  category?: string | null;
  tags?: string[];
  language?: string;
  mature?: boolean;
}

export interface UpdateChannelParams extends Partial<CreateChannelParams> {
  id: string;
}

export interface StreamKeyParams {
  streamKey: string;
}
export interface ChannelWithKey {
  channel: PublicChannel;
  streamKey: string;
}

const EDITABLE = {
  title: { type: "string", min: 1, max: 140, trim: true },
  category: { type: "string", min: 1, max: 64, trim: true, optional: true, nullable: true },
  tags: { type: "array", max: 10, optional: true, items: { type: "string", min: 1, max: 25 } },
  language: { type: "string", pattern: "^[a-z]{2}(-[A-Z]{2})?$", optional: true },
  mature: { type: "boolean", optional: true },
} as const;

/** Titles are plain text; one that is only markup is no title. */
function cleanTitle(raw: string): string {
  const title = plainText(raw);
  if (!title) throw new ValidationError("title is empty after removing markup", [{ field: "title", message: "empty" }]);
  return title;
}

function checkedSlug(raw: string): string {
  const slug = normalizeSlug(raw);
  const problem = slugProblem(slug);
  if (problem) throw new ValidationError(problem, [{ field: "slug", message: problem }]);
  return slug;
}

/** Creating and configuring a channel, and its stream key. Only the owner (or an admin) changes a channel. */
export const channelWriteActions: ServiceActionsSchema = {
  /** Creates the caller's channel; the stream key is in this response and nowhere else. */
  create: {
    params: { slug: { type: "string", min: 1, max: 64 }, ...EDITABLE, $$strict: "remove" },
    async handler(this: ChannelsThis, ctx: ChannelsCtx<CreateChannelParams>): Promise<ChannelWithKey> {
      const user = requireUser(ctx);
      const slug = checkedSlug(ctx.params.slug);
      const title = cleanTitle(ctx.params.title);
      if (await this.stores.channels.findOne({ ownerId: user.id }))
        throw new ConflictError("You already have a channel");
      if (await this.stores.channels.findOne({ slug })) throw new ConflictError(`The slug "${slug}" is taken`);
      const streamKey = generateStreamKey();
      const channel = await this.db.transaction(async () => {
        const created = await this.stores.channels.insert({
          id: randomUUID(),
          ownerId: user.id,
          slug,
          title,
          category: ctx.params.category ? plainText(ctx.params.category) : null,
          tags: normalizeTags(ctx.params.tags ?? []),
          language: ctx.params.language ?? "en",
          mature: ctx.params.mature ?? false,
          streamKeyHash: hashStreamKey(streamKey),
          streamKeyRotatedAt: new Date(),
          isLive: false,
          liveSessionId: null,
          liveSince: null,
          followerCount: 0,
        });
        await this.publishDurable("channel.created", {
          channelId: created.id,
          ownerId: created.ownerId,
          slug: created.slug,
          title: created.title,
          category: created.category,
          createdAt: created.createdAt.toISOString(),
        });
        return created;
      });
      markCreated(ctx);
      return { channel: toPublicChannel(channel), streamKey };
    },
  },

  /** Changes a channel's settings; publishes channel.updated. */
  update: {
    params: {
      id: ID,
      slug: { type: "string", min: 1, max: 64, optional: true },
      ...EDITABLE,
      title: { ...EDITABLE.title, optional: true },
      $$strict: "remove",
    },
    async handler(this: ChannelsThis, ctx: ChannelsCtx<UpdateChannelParams>): Promise<PublicChannel> {
      const channel = await this.loadChannel(ctx.params.id);
      assertOwner(ctx, channel.ownerId, "channel");
      const patch: Partial<ChannelDoc> = {};
      if (ctx.params.slug !== undefined) {
        const slug = checkedSlug(ctx.params.slug);
        if (slug !== channel.slug) {
          if (await this.stores.channels.findOne({ slug })) throw new ConflictError(`The slug "${slug}" is taken`);
          patch.slug = slug;
        }
      }
      if (ctx.params.title !== undefined) patch.title = cleanTitle(ctx.params.title);
      if (ctx.params.category !== undefined)
        patch.category = ctx.params.category === null ? null : plainText(ctx.params.category);
      if (ctx.params.tags !== undefined) patch.tags = normalizeTags(ctx.params.tags);
      if (ctx.params.language !== undefined) patch.language = ctx.params.language;
      if (ctx.params.mature !== undefined) patch.mature = ctx.params.mature;
      const changed = Object.keys(patch);
      if (changed.length === 0) return toPublicChannel(channel);
      const updated = await this.db.transaction(async () => {
        const saved = await this.stores.channels.updateById(channel.id, patch);
        if (!saved) throw new Error("channel vanished during update");
        await this.publishDurable("channel.updated", {
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
    },
  },

  /** Issues a new stream key; the old one stops working at once. */
  rotateStreamKey: {
    params: { id: ID },
    async handler(
      this: ChannelsThis,
      ctx: ChannelsCtx<{ id: string }>,
    ): Promise<{ channelId: string; streamKey: string }> {
      const channel = await this.loadChannel(ctx.params.id);
      assertOwner(ctx, channel.ownerId, "channel");
      const streamKey = generateStreamKey();
      await this.stores.channels.updateById(channel.id, {
        streamKeyHash: hashStreamKey(streamKey),
        streamKeyRotatedAt: new Date(),
      });
      await this.broker.broadcast(STREAM_KEY_ROTATED_EVENT, { channelId: channel.id } satisfies StreamKeyRotated);
      return { channelId: channel.id, streamKey };
    },
  },

  /** Internal (ingest): which channel a stream key belongs to; 403 for anything else. */
  verifyStreamKey: {
    visibility: "public",
    params: { streamKey: { type: "string", min: 1, max: 256 } },
    async handler(
      this: ChannelsThis,
      ctx: ChannelsCtx<StreamKeyParams>,
    ): Promise<{ channelId: string; ownerId: string }> {
      const refuse = () => new ForbiddenError("Invalid stream key");
      if (!looksLikeStreamKey(ctx.params.streamKey)) throw refuse();
      const channel = await this.stores.channels.findOne({ streamKeyHash: hashStreamKey(ctx.params.streamKey) });
      if (!channel || !streamKeyMatches(ctx.params.streamKey, channel.streamKeyHash)) throw refuse();
      if (channel.suspendedAt) throw new ForbiddenError("Channel is suspended");
      return { channelId: channel.id, ownerId: channel.ownerId };
    },
  },
};
