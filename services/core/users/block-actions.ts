/** Blocks (user → user): a blocked user cannot follow the blocker's channel, nor keep a role on it. */
import { requireUser } from "../../../lib/auth/ownership";
import { broadcastEvent, callAction, type ActionContext } from "../../../lib/contracts";
import { ValidationError } from "../../../lib/errors";
import type { CursorPage } from "../../../lib/pagination";
import { isoOf, newestFirstPage } from "./newest-first";
import { toPublicProfile } from "./profile";
import { loadUser } from "./user-lookup";
import type { UsersThis } from "./users.context";
import { followEventKey } from "./users.events";
import type { BlockedUser, BlockRelations } from "./users.contract";
import { blockId, followId } from "./users.entities";

/**
 * Blocks a user: they can no longer follow the caller's channel, and an
 * existing follow of it is removed (channel.unfollowed), so a blocked user
 * stops getting its notifications and leaves its follower count. Someone
 * the owner blocks does not stay their channel's moderator or VIP either.
 */
export async function block(
  svc: UsersThis,
  ctx: ActionContext<"users.block">,
): Promise<{ userId: string; blocked: true }> {
  const user = requireUser(ctx);
  const blockedUserId = ctx.params.userId;
  if (blockedUserId === user.id)
    throw new ValidationError("You cannot block yourself", [{ field: "userId", message: "self" }]);
  await loadUser(svc, blockedUserId);
  // One channel per user: the blocker's own channel, if any, is the one the blocked user must leave.
  const owned = await callAction(ctx, "channels.list", { ownerId: user.id, limit: 100 });
  await svc.db.transaction(async () => {
    await svc.stores.blocks.insertIfAbsent({ id: blockId(user.id, blockedUserId), userId: user.id, blockedUserId });
    for (const channel of owned.items) {
      if (!(await svc.stores.follows.removeById(followId(blockedUserId, channel.id)))) continue;
      await svc.stores.profiles.increment(blockedUserId, "followingCount", -1);
      await svc.publishDurable(
        "channel.unfollowed",
        { userId: blockedUserId, channelId: channel.id, unfollowedAt: new Date().toISOString() },
        { key: followEventKey(blockedUserId, channel.id) },
      );
    }
  });
  await broadcastEvent(ctx, "users.blocks.changed", { userIds: [user.id, blockedUserId] });
  for (const channel of owned.items) {
    // As the caller (the owner), so the channels service checks ownership as for any other change.
    const policy = await callAction(ctx, "channels.getChatPolicy", { channelId: channel.id });
    if (policy.moderatorIds.includes(blockedUserId))
      await callAction(ctx, "channels.removeModerator", { id: channel.id, userId: blockedUserId });
    if (policy.vipIds.includes(blockedUserId))
      await callAction(ctx, "channels.removeVip", { id: channel.id, userId: blockedUserId });
  }
  return { userId: blockedUserId, blocked: true };
}

export async function unblock(
  svc: UsersThis,
  ctx: ActionContext<"users.unblock">,
): Promise<{ userId: string; blocked: false }> {
  const user = requireUser(ctx);
  await svc.stores.blocks.removeById(blockId(user.id, ctx.params.userId));
  await broadcastEvent(ctx, "users.blocks.changed", { userIds: [user.id, ctx.params.userId] });
  return { userId: ctx.params.userId, blocked: false };
}

/** Internal: which of `ids` the user `userId` has blocked, in one query. */
export async function blockedAmong(
  svc: UsersThis,
  ctx: ActionContext<"users.blockedAmong">,
): Promise<{ blockedIds: string[] }> {
  const { userId, ids } = ctx.params;
  const blocks = await svc.stores.blocks.findByIds(ids.map((id) => blockId(userId, id)));
  return { blockedIds: blocks.map((b) => b.blockedUserId) };
}

/**
 * Internal: for each of `userIds`, who they blocked and who blocked them, in
 * one statement (search hides both ways; blocks_blocked_idx serves the
 * reverse direction). Users without blocks get empty lists.
 */
export async function blockRelations(
  svc: UsersThis,
  ctx: ActionContext<"users.blockRelations">,
): Promise<Record<string, BlockRelations>> {
  const { userIds } = ctx.params;
  const relations: Record<string, BlockRelations> = {};
  for (const id of userIds) relations[id] = { blockedIds: [], blockedByIds: [] };
  if (userIds.length === 0) return relations;
  const rows = await svc.db.query<{ subject: string; other: string; blocked_by: boolean }>(
    `SELECT user_id AS subject, blocked_user_id AS other, false AS blocked_by FROM blocks WHERE user_id = ANY($1::text[])
     UNION ALL
     SELECT blocked_user_id, user_id, true FROM blocks WHERE blocked_user_id = ANY($1::text[])`,
    [userIds],
  );
  for (const row of rows) {
    const entry = relations[row.subject];
    if (!entry) continue;
    (row.blocked_by ? entry.blockedByIds : entry.blockedIds).push(row.other);
  }
  return relations;
}

/** Users the caller blocked (private). */
export async function listBlocks(svc: UsersThis, ctx: ActionContext<"users.blocks">): Promise<CursorPage<BlockedUser>> {
  const user = requireUser(ctx);
  const page = await newestFirstPage(svc, "blocks", "user_id", "blocked_user_id", user.id, ctx.params);
  const users = new Map((await svc.stores.profiles.findByIds(page.items.map((b) => b.other_id))).map((u) => [u.id, u]));
  const items = page.items.flatMap((b) => {
    const blocked = users.get(b.other_id);
    return blocked ? [{ user: toPublicProfile(blocked), blockedAt: isoOf(b.created_at) }] : [];
  });
  return { items, nextCursor: page.nextCursor };
}
