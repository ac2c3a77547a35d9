/**
 * What the service holds of a deleted account goes: their inbox, devices,
 * preferences and mutes, and the notifications others got about their acts
 * (their name is in those texts: "alice followed you"). A deleted channel's
 * unfinished fan-outs stop and its mutes go. Both are plain deletes,
 * idempotent under redelivery.
 */
import "../../core/channels/channels.events";
import "../../core/identity/identity.events";
import type { NotificationsThis } from "./notifications.context";

export async function removeUserData(svc: NotificationsThis, userId: string): Promise<{ affectedUsers: string[] }> {
  const aboutThem = await svc.db.query<{ user_id: string }>(
    "DELETE FROM notifications WHERE actor_id = $1 AND user_id <> $1 RETURNING user_id",
    [userId],
  );
  await svc.db.query("DELETE FROM notifications WHERE user_id = $1", [userId]);
  await svc.db.query("DELETE FROM push_jobs WHERE user_id = $1", [userId]);
  await svc.db.query("DELETE FROM devices WHERE user_id = $1", [userId]);
  await svc.db.query("DELETE FROM preferences WHERE user_id = $1", [userId]);
  await svc.db.query("DELETE FROM channel_mutes WHERE user_id = $1", [userId]);
  const affectedUsers = [...new Set([userId, ...aboutThem.map((r) => r.user_id)])];
  svc.db.afterCommit(() => {
    for (const id of affectedUsers) svc.unread.invalidate(id).catch(() => undefined);
  });
  return { affectedUsers };
}

export async function removeChannelData(svc: NotificationsThis, channelId: string): Promise<void> {
  await svc.db.query(
    "UPDATE fanouts SET state = 'done', finished_at = now(), lease_owner = NULL WHERE channel_id = $1 AND state = 'running'",
    [channelId],
  );
  await svc.db.query("DELETE FROM channel_mutes WHERE channel_id = $1", [channelId]);
  await svc.db.query("DELETE FROM live_alerts WHERE channel_id = $1", [channelId]);
}
