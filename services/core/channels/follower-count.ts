/**
 * follower_count from channel.followed / channel.unfollowed, converging
 * whatever order they are delivered in (issue 9): the channels service keeps
 * its own follower rows and moves the count only when a row really appears
 * or disappears, in the same transaction. With the handlers ordered per
 * follow, a follow delivered after its own unfollow is skipped as
 * superseded instead of being counted.
 */
import type { DbHandle } from "../../../mixins/db/sql-db";
import type { EntityStore } from "../../../mixins/db/entity-store";
import type { ChannelDoc } from "./channels.entities";

export interface FollowerCountDeps {
  db: DbHandle;
  stores: { channels: EntityStore<ChannelDoc> };
}

export async function addFollower(
  svc: FollowerCountDeps,
  follow: { channelId: string; userId: string; followedAt: string },
): Promise<void> {
  const added = await svc.db.query(
    `INSERT INTO channel_followers (channel_id, user_id, followed_at) VALUES ($1, $2, $3)
     ON CONFLICT DO NOTHING RETURNING user_id`,
    [follow.channelId, follow.userId, follow.followedAt],
  );
  if (added.length > 0) await svc.stores.channels.increment(follow.channelId, "followerCount", 1);
}

export async function removeFollower(
  svc: FollowerCountDeps,
  follow: { channelId: string; userId: string },
): Promise<void> {
  const removed = await svc.db.query(
    "DELETE FROM channel_followers WHERE channel_id = $1 AND user_id = $2 RETURNING user_id",
    [follow.channelId, follow.userId],
  );
  if (removed.length > 0) await svc.stores.channels.increment(follow.channelId, "followerCount", -1);
}
