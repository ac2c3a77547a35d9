/**
 * follower_count from channel.followed / channel.unfollowed, converging
 * whatever order they are delivered in (issue 9): the channels service keeps
 * its own follower rows and moves the count only when a row really appears
 * or disappears, in the same transaction. With the handlers ordered per
 * follow, a follow delivered after its own unfollow is skipped as
 * superseded instead of being counted.
 *
 * Every move of the count publishes channel.followers.changed (in the same
 * transaction, through the outbox) with the absolute count and the channel's
 * follower_version, bumped by the same UPDATE: search keeps the count with the
 * highest version, whatever order the events reach it in.
 */
import type { DbHandle } from "../../../mixins/db/sql-db";
import type { DurableEventsMethods } from "../../../mixins/durable-events";
import "./channels.events";

export interface FollowerCountDeps extends Pick<DurableEventsMethods, "publishDurable"> {
  db: DbHandle;
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
  if (added.length > 0) await moveCount(svc, follow.channelId, 1);
}

export async function removeFollower(
  svc: FollowerCountDeps,
  follow: { channelId: string; userId: string },
): Promise<void> {
  const removed = await svc.db.query(
    "DELETE FROM channel_followers WHERE channel_id = $1 AND user_id = $2 RETURNING user_id",
    [follow.channelId, follow.userId],
  );
  if (removed.length > 0) await moveCount(svc, follow.channelId, -1);
}

/**
 * Moves the count and its version in one UPDATE (the row lock orders concurrent moves, so versions follow the
 * counts they were given with), then publishes the result. Called inside the consumer's transaction: the event
 * commits or rolls back with the count.
 */
async function moveCount(svc: FollowerCountDeps, channelId: string, by: 1 | -1): Promise<void> {
  const rows = await svc.db.query<{ follower_count: number; follower_version: string | number }>(
    `UPDATE channels SET follower_count = COALESCE(follower_count, 0) + $2, follower_version = follower_version + 1,
       updated_at = now()
     WHERE id = $1 RETURNING follower_count, follower_version`,
    [channelId, by],
  );
  const row = rows[0];
  // A follow of a channel deleted meanwhile: nothing to count, nothing to tell.
  if (!row) return;
  await svc.publishDurable("channel.followers.changed", {
    channelId,
    followerCount: Number(row.follower_count),
    followerVersion: Number(row.follower_version),
    changedAt: new Date().toISOString(),
  });
}
