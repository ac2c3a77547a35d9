/**
 * users' share of an account deletion: the profile, the user's follows
 * (each one a channel.unfollowed, so follower counts converge) and blocks in
 * both directions. A deleted channel takes its follows with it. Both
 * handlers are idempotent: a redelivery finds nothing left to remove.
 */
import type { ArenaContext } from "../../../lib/contracts";
import { assertSelfOrAdmin, withoutFields, type UserDataParams } from "../../../lib/contracts/user-data";
import { durableHandler } from "../../../mixins/durable-events";
import type { ChannelDeleted } from "../channels/channels.events";
import type { UserDeleted } from "../identity/identity.events";
import type { UsersThis } from "./users.context";
import type { UsersUserData } from "./users.contract";
import { followEventKey } from "./users.events";
import { DEFAULT_NOTIFICATIONS, PROFILE_BOOKKEEPING } from "./users.entities";

async function deleteUserData(svc: UsersThis, user: UserDeleted): Promise<void> {
  const follows = await svc.stores.follows.find({ query: { userId: user.userId } });
  for (const follow of follows) {
    if (!(await svc.stores.follows.removeById(follow.id))) continue;
    await svc.publishDurable(
      "channel.unfollowed",
      { userId: user.userId, channelId: follow.channelId, unfollowedAt: user.deletedAt },
      { key: followEventKey(user.userId, follow.channelId) },
    );
  }
  await svc.stores.blocks.removeMany({ userId: user.userId });
  await svc.stores.blocks.removeMany({ blockedUserId: user.userId });
  await svc.stores.profiles.removeById(user.userId);
}

async function dropChannelFollows(svc: UsersThis, channel: ChannelDeleted): Promise<void> {
  const follows = await svc.stores.follows.find({ query: { channelId: channel.channelId } });
  for (const follow of follows) {
    if (await svc.stores.follows.removeById(follow.id))
      await svc.stores.profiles.increment(follow.userId, "followingCount", -1);
  }
}

export const userDeletionHandlers = {
  ...durableHandler("user.deleted", {
    group: "users",
    async handler(this: UsersThis, envelope) {
      await deleteUserData(this, envelope.payload);
    },
  }),
  ...durableHandler("channel.deleted", {
    group: "users",
    async handler(this: UsersThis, envelope) {
      await dropChannelFollows(this, envelope.payload);
    },
  }),
};

/** users' part of GET /me/export: what it holds of the user. */
export async function exportUserData(svc: UsersThis, ctx: ArenaContext<UserDataParams>): Promise<UsersUserData> {
  assertSelfOrAdmin(ctx);
  const { userId } = ctx.params;
  const [profile, follows, blocks] = await Promise.all([
    svc.stores.profiles.findById(userId),
    svc.stores.follows.find({ query: { userId } }),
    svc.stores.blocks.find({ query: { userId } }),
  ]);
  // A row written before a switch existed holds only the switches set since: the archive shows all, as the profile does.
  const complete = profile && {
    ...withoutFields(profile, PROFILE_BOOKKEEPING),
    notifications: { ...DEFAULT_NOTIFICATIONS, ...profile.notifications },
  };
  return { profile: complete, follows, blocks };
}
