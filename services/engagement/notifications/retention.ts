/**
 * Old notifications expire: read ones after `retentionDays`, unread ones
 * after twice that (an inbox nobody opens must not grow forever), finished
 * fan-outs after a week. Deleted in chunks so a large sweep never holds a
 * long transaction; their push jobs and attempts go with them (cascade).
 */
import type { NotificationsThis } from "./notifications.context";

const CHUNK = 5000;

export async function sweepRetention(svc: NotificationsThis): Promise<number> {
  const days = svc.settings.retentionDays;
  let total = 0;
  for (;;) {
    const rows = await svc.db.query<{ id: string }>(
      `DELETE FROM notifications WHERE id IN (
         SELECT id FROM notifications
          WHERE (read_at IS NOT NULL AND read_at < now() - $1 * interval '1 day')
             OR created_at < now() - $1 * 2 * interval '1 day'
          LIMIT $2)
       RETURNING id`,
      [days, CHUNK],
    );
    total += rows.length;
    if (rows.length < CHUNK) break;
  }
  await svc.db.query("DELETE FROM fanouts WHERE state = 'done' AND finished_at < now() - interval '7 days'");
  return total;
}
