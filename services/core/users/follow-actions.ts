import type { ServiceActionsSchema } from "moleculer";
import { requireUser } from "../../../lib/auth/ownership";
import { ForbiddenError, ValidationError } from "../../../lib/errors";
import type { PublicChannel } from "../channels/channel-view";
import type { ChatPolicy } from "../../../lib/moderation";
import { ID, PAGING_PARAMS, paging, type Page } from "../core-service";
import { blockId, followId } from "./follows";
import { toPublicProfile, type PublicProfile } from "./profile";
import type { UsersCtx, UsersThis } from "./users.service";

export interface ChannelIdParams {
  channelId: string;
}
export interface GetFollowParams {
  userId: string;
  channelId: string;
}
export interface FollowingParams {
  userId: string;
  limit?: number;
  offset?: number;
}
export interface FollowersParams {
  channelId: string;
  limit?: number;
  offset?: number;
}
export interface UserIdParams {
  userId: string;
}
export interface PageParams {
  limit?: number;
  offset?: number;
}

export interface FollowState {
  channelId: string;
  following: boolean;
  followedAt: string | null;
}
export interface FollowedChannel {
  channel: PublicChannel;
  followedAt: string;
}
export interface Follower {
  user: PublicProfile;
  followedAt: string;
}
export interface BlockedUser {
  user: PublicProfile;
  blockedAt: string;
}

async function followingPage(
  self: UsersThis,
  ctx: UsersCtx<unknown>,
  userId: string,
  params: PageParams,
): Promise<Page<FollowedChannel>> {
  const { limit, offset } = paging(params);
  const query = { userId };
  const [follows, total] = await Promise.all([
    self.stores.follows.find({ query, sort: ["-createdAt", "id"], limit, offset }),
    self.stores.follows.count(query),
  ]);
  // One batch call for the whole page, never one per follow.
  const channels =
    follows.length > 0
      ? await ctx.call<PublicChannel[], { ids: string[] }>("channels.getMany", { ids: follows.map((f) => f.channelId) })
      : [];
  const byId = new Map(channels.map((c) => [c.id, c]));
  const items = follows.flatMap((f) => {
    const channel = byId.get(f.channelId);
    return channel ? [{ channel, followedAt: f.createdAt.toISOString() }] : [];
  });
  return { items, total, limit, offset };
}

/** Follows (user → channel) and blocks (user → user). */
export const followActions: ServiceActionsSchema = {
  /** Follows a channel; publishes channel.followed once (idempotent). */
  follow: {
    params: { channelId: ID },
    async handler(this: UsersThis, ctx: UsersCtx<ChannelIdParams>): Promise<FollowState> {
      const user = requireUser(ctx);
      const channel = await ctx.call<PublicChannel, { id: string }>("channels.get", { id: ctx.params.channelId });
      if (channel.ownerId === user.id)
        throw new ValidationError("You cannot follow your own channel", [
          { field: "channelId", message: "own channel" },
        ]);
      if (await this.stores.blocks.findById(blockId(channel.ownerId, user.id)))
        throw new ForbiddenError("The channel owner has blocked you");
      const id = followId(user.id, channel.id);
      return this.db.transaction(async () => {
        const inserted = await this.stores.follows.insertIfAbsent({ id, userId: user.id, channelId: channel.id });
        const follow = await this.stores.follows.findById(id);
        const followedAt = (follow?.createdAt ?? new Date()).toISOString();
        if (inserted) {
          await this.stores.profiles.increment(user.id, "followingCount", 1);
          await this.publishDurable("channel.followed", { userId: user.id, channelId: channel.id, followedAt });
        }
        return { channelId: channel.id, following: true, followedAt };
      });
    },
  },

  /** Unfollows a channel; publishes channel.unfollowed when a follow existed. */
  unfollow: {
    params: { channelId: ID },
    async handler(this: UsersThis, ctx: UsersCtx<ChannelIdParams>): Promise<FollowState> {
      const user = requireUser(ctx);
      return this.db.transaction(async () => {
        const removed = await this.stores.follows.removeById(followId(user.id, ctx.params.channelId));
        if (removed) {
          await this.stores.profiles.increment(user.id, "followingCount", -1);
          await this.publishDurable("channel.unfollowed", {
            userId: user.id,
            channelId: ctx.params.channelId,
            unfollowedAt: new Date().toISOString(),
          });
        }
        return { channelId: ctx.params.channelId, following: false, followedAt: null };
      });
    },
  },

  /** Since when a user follows a channel, or null (followers-only chat). */
  getFollow: {
    params: { userId: ID, channelId: ID },
    async handler(this: UsersThis, ctx: UsersCtx<GetFollowParams>): Promise<{ followedAt: string } | null> {
      const follow = await this.stores.follows.findById(followId(ctx.params.userId, ctx.params.channelId));
      return follow ? { followedAt: follow.createdAt.toISOString() } : null;
    },
  },

  /** Channels a user follows, newest first (public). */
  following: {
    params: { userId: ID, ...PAGING_PARAMS },
    async handler(this: UsersThis, ctx: UsersCtx<FollowingParams>): Promise<Page<FollowedChannel>> {
      await this.loadUser(ctx.params.userId);
      return followingPage(this, ctx, ctx.params.userId, ctx.params);
    },
  },

  /** Channels the caller follows. */
  myFollowing: {
    params: { ...PAGING_PARAMS },
    async handler(this: UsersThis, ctx: UsersCtx<PageParams>): Promise<Page<FollowedChannel>> {
      return followingPage(this, ctx, requireUser(ctx).id, ctx.params);
    },
  },

  /** Followers of a channel, newest first; 404 for an unknown channel (as for an unknown user's following list). */
  followers: {
    params: { channelId: ID, ...PAGING_PARAMS },
    async handler(this: UsersThis, ctx: UsersCtx<FollowersParams>): Promise<Page<Follower>> {
      const { limit, offset } = paging(ctx.params);
      const query = { channelId: ctx.params.channelId };
      const [, follows, total] = await Promise.all([
        ctx.call<PublicChannel, { id: string }>("channels.get", { id: ctx.params.channelId }),
        this.stores.follows.find({ query, sort: ["-createdAt", "id"], limit, offset }),
        this.stores.follows.count(query),
      ]);
      const users = new Map((await this.stores.profiles.findByIds(follows.map((f) => f.userId))).map((u) => [u.id, u]));
      const items = follows.flatMap((f) => {
        const user = users.get(f.userId);
        return user ? [{ user: toPublicProfile(user), followedAt: f.createdAt.toISOString() }] : [];
      });
      return { items, total, limit, offset };
    },
  },

  /**
   * Internal: follower ids of a channel in follow order, in large pages, for
   * fan-out (e.g. "went live" notifications) without loading profiles.
   */
  followerIds: {
    visibility: "public",
    params: {
      channelId: ID,
      limit: { type: "number", integer: true, min: 1, max: 5000, optional: true, convert: true },
      offset: PAGING_PARAMS.offset,
    },
    async handler(this: UsersThis, ctx: UsersCtx<FollowersParams>): Promise<{ userIds: string[]; total: number }> {
      const query = { channelId: ctx.params.channelId };
      const [follows, total] = await Promise.all([
        this.stores.follows.find({
          query,
          sort: ["createdAt", "id"],
          limit: ctx.params.limit ?? 1000,
          offset: ctx.params.offset ?? 0,
        }),
        this.stores.follows.count(query),
      ]);
      return { userIds: follows.map((f) => f.userId), total };
    },
  },

  /**
   * Blocks a user: they can no longer follow the caller's channel, and an
   * existing follow of it is removed (channel.unfollowed), so a blocked user
   * stops getting its notifications and leaves its follower count. Someone
   * the owner blocks does not stay their channel's moderator or VIP either.
   */
  block: {
    params: { userId: ID },
    async handler(this: UsersThis, ctx: UsersCtx<UserIdParams>): Promise<{ userId: string; blocked: true }> {
      const user = requireUser(ctx);
      const blockedUserId = ctx.params.userId;
      if (blockedUserId === user.id)
        throw new ValidationError("You cannot block yourself", [{ field: "userId", message: "self" }]);
      await this.loadUser(blockedUserId);
      // One channel per user: the blocker's own channel, if any, is the one the blocked user must leave.
      const owned = await ctx.call<Page<PublicChannel>, { ownerId: string; limit: number }>("channels.list", {
        ownerId: user.id,
        limit: 100,
      });
      await this.db.transaction(async () => {
        await this.stores.blocks.insertIfAbsent({
          id: blockId(user.id, blockedUserId),
          userId: user.id,
          blockedUserId,
        });
        for (const channel of owned.items) {
          if (!(await this.stores.follows.removeById(followId(blockedUserId, channel.id)))) continue;
          await this.stores.profiles.increment(blockedUserId, "followingCount", -1);
          await this.publishDurable("channel.unfollowed", {
            userId: blockedUserId,
            channelId: channel.id,
            unfollowedAt: new Date().toISOString(),
          });
        }
      });
      for (const channel of owned.items) {
        // As the caller (the owner), so the channels service checks ownership as for any other change.
        const policy = await ctx.call<ChatPolicy, { channelId: string }>("channels.getChatPolicy", {
          channelId: channel.id,
        });
        if (policy.moderatorIds.includes(blockedUserId))
          await ctx.call("channels.removeModerator", { id: channel.id, userId: blockedUserId });
        if (policy.vipIds.includes(blockedUserId))
          await ctx.call("channels.removeVip", { id: channel.id, userId: blockedUserId });
      }
      return { userId: blockedUserId, blocked: true };
    },
  },

  unblock: {
    params: { userId: ID },
    async handler(this: UsersThis, ctx: UsersCtx<UserIdParams>): Promise<{ userId: string; blocked: false }> {
      const user = requireUser(ctx);
      await this.stores.blocks.removeById(blockId(user.id, ctx.params.userId));
      return { userId: ctx.params.userId, blocked: false };
    },
  },

  /** Users the caller blocked (private). */
  blocks: {
    params: { ...PAGING_PARAMS },
    async handler(this: UsersThis, ctx: UsersCtx<PageParams>): Promise<Page<BlockedUser>> {
      const user = requireUser(ctx);
      const { limit, offset } = paging(ctx.params);
      const [blocks, total] = await Promise.all([
        this.stores.blocks.find({ query: { userId: user.id }, sort: ["-createdAt", "id"], limit, offset }),
        this.stores.blocks.count({ userId: user.id }),
      ]);
      const users = new Map(
        (await this.stores.profiles.findByIds(blocks.map((b) => b.blockedUserId))).map((u) => [u.id, u]),
      );
      const items = blocks.flatMap((b) => {
        const blocked = users.get(b.blockedUserId);
        return blocked ? [{ user: toPublicProfile(blocked), blockedAt: b.createdAt.toISOString() }] : [];
      });
      return { items, total, limit, offset };
    },
  },
};
