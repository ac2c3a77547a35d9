/** Follows (user → channel): counted on both sides through channel.followed / channel.unfollowed. */
import { requireUser } from "../../../lib/auth/ownership";
import { callAction, type ActionContext, type ArenaContext } from "../../../lib/contracts";
import { ForbiddenError, ValidationError } from "../../../lib/errors";
import type { CursorPage, CursorPageParams } from "../../../lib/pagination";
import { isoOf, newestFirstPage } from "./newest-first";
import { toPublicProfile } from "./profile";
import { loadUser } from "./user-lookup";
import type { UsersThis } from "./users.context";
import { followEventKey } from "./users.events";
import type { FollowedChannel, Follower, FollowerBatch, FollowState } from "./users.contract";
import { blockId, followId } from "./users.entities";

async function followingPage(
  svc: UsersThis,
  ctx: ArenaContext,
  userId: string,
  params: CursorPageParams,
): Promise<CursorPage<FollowedChannel>> {
  const page = await newestFirstPage(svc, "follows", "user_id", "channel_id", userId, params);
  // One batch call for the whole page, never one per follow.
  const channels =
    page.items.length > 0 ? await callAction(ctx, "channels.getMany", { ids: page.items.map((f) => f.other_id) }) : [];
  const byId = new Map(channels.map((c) => [c.id, c]));
  const items = page.items.flatMap((f) => {
    const channel = byId.get(f.other_id);
    return channel ? [{ channel, followedAt: isoOf(f.created_at) }] : [];
  });
  return { items, nextCursor: page.nextCursor };
}

/** Follows a channel; publishes channel.followed once (idempotent). */
export async function follow(svc: UsersThis, ctx: ActionContext<"users.follow">): Promise<FollowState> {
  const user = requireUser(ctx);
  const channel = await callAction(ctx, "channels.get", { id: ctx.params.channelId });
  if (channel.ownerId === user.id)
    throw new ValidationError("You cannot follow your own channel", [{ field: "channelId", message: "own channel" }]);
  if (await svc.stores.blocks.findById(blockId(channel.ownerId, user.id)))
    throw new ForbiddenError("The channel owner has blocked you");
  const id = followId(user.id, channel.id);
  return svc.db.transaction(async () => {
    const inserted = await svc.stores.follows.insertIfAbsent({ id, userId: user.id, channelId: channel.id });
    const existing = await svc.stores.follows.findById(id);
    const followedAt = (existing?.createdAt ?? new Date()).toISOString();
    if (inserted) {
      await svc.stores.profiles.increment(user.id, "followingCount", 1);
      await svc.publishDurable(
        "channel.followed",
        { userId: user.id, channelId: channel.id, followedAt },
        { key: followEventKey(user.id, channel.id) },
      );
    }
    return { channelId: channel.id, following: true, followedAt };
  });
}

/** Unfollows a channel; publishes channel.unfollowed when a follow existed. */
export async function unfollow(svc: UsersThis, ctx: ActionContext<"users.unfollow">): Promise<FollowState> {
  const user = requireUser(ctx);
  return svc.db.transaction(async () => {
    const removed = await svc.stores.follows.removeById(followId(user.id, ctx.params.channelId));
    if (removed) {
      await svc.stores.profiles.increment(user.id, "followingCount", -1);
      await svc.publishDurable(
        "channel.unfollowed",
        { userId: user.id, channelId: ctx.params.channelId, unfollowedAt: new Date().toISOString() },
        { key: followEventKey(user.id, ctx.params.channelId) },
      );
    }
    return { channelId: ctx.params.channelId, following: false, followedAt: null };
  });
}

/** The caller's follow of one channel: one key lookup, whatever the size of their following list. */
export async function followState(svc: UsersThis, ctx: ActionContext<"users.followState">): Promise<FollowState> {
  const user = requireUser(ctx);
  const found = await svc.stores.follows.findById(followId(user.id, ctx.params.channelId));
  return { channelId: ctx.params.channelId, following: !!found, followedAt: found?.createdAt.toISOString() ?? null };
}

/** Since when a user follows a channel, or null (followers-only chat). */
export async function getFollow(
  svc: UsersThis,
  ctx: ActionContext<"users.getFollow">,
): Promise<{ followedAt: string } | null> {
  const found = await svc.stores.follows.findById(followId(ctx.params.userId, ctx.params.channelId));
  return found ? { followedAt: found.createdAt.toISOString() } : null;
}

/** Channels a user follows, newest first (public). */
export async function following(
  svc: UsersThis,
  ctx: ActionContext<"users.following">,
): Promise<CursorPage<FollowedChannel>> {
  await loadUser(svc, ctx.params.userId);
  return followingPage(svc, ctx, ctx.params.userId, ctx.params);
}

/** Channels the caller follows. */
export function myFollowing(
  svc: UsersThis,
  ctx: ActionContext<"users.myFollowing">,
): Promise<CursorPage<FollowedChannel>> {
  return followingPage(svc, ctx, requireUser(ctx).id, ctx.params);
}

/** Followers of a channel, newest first; 404 for an unknown channel (as for an unknown user's following list). */
export async function followers(svc: UsersThis, ctx: ActionContext<"users.followers">): Promise<CursorPage<Follower>> {
  const [, page] = await Promise.all([
    callAction(ctx, "channels.get", { id: ctx.params.channelId }),
    newestFirstPage(svc, "follows", "channel_id", "user_id", ctx.params.channelId, ctx.params),
  ]);
  const users = new Map((await svc.stores.profiles.findByIds(page.items.map((f) => f.other_id))).map((u) => [u.id, u]));
  const items = page.items.flatMap((f) => {
    const user = users.get(f.other_id);
    return user ? [{ user: toPublicProfile(user), followedAt: isoOf(f.created_at) }] : [];
  });
  return { items, nextCursor: page.nextCursor };
}

/**
 * Follower ids of a channel in user-id order after `after`, without a count:
 * fan-out reads 100k followers as a few dozen index seeks
 * (follows_channel_user_idx), and a crashed fan-out resumes from the last id.
 */
export async function followerBatch(svc: UsersThis, ctx: ActionContext<"users.followerBatch">): Promise<FollowerBatch> {
  const limit = ctx.params.limit ?? 1000;
  const rows = await svc.db.query<{ user_id: string }>(
    `SELECT user_id FROM follows WHERE channel_id = $1 AND user_id > $2 ORDER BY user_id LIMIT $3`,
    [ctx.params.channelId, ctx.params.after ?? "", limit],
  );
  const userIds = rows.map((r) => r.user_id);
  return { userIds, after: userIds.length === limit ? (userIds[userIds.length - 1] ?? null) : null };
}
