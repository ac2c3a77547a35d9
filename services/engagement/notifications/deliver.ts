/**
 * Writing notifications: one statement per batch of recipients inserts the
 * inbox rows (preferences and mutes applied in SQL, duplicates of a source
 * skipped) and the push jobs for their devices; after the commit the batch
 * goes to open sockets as one broadcast, and the push workers are woken.
 */
import { broadcastEvent } from "../../../lib/contracts";
import type { AnyNotificationType, NotificationPlan } from "./catalog.types";
import type { NotificationsThis } from "./notifications.context";
import "./notifications.events";

export interface InsertedNotification {
  id: string;
  userId: string;
  inApp: boolean;
  createdAt: Date;
}

export interface InsertResult {
  rows: InsertedNotification[];
  pushJobs: number;
}

/**
 * A notification id: UUID-shaped, its first 48 bits the time in ms (as UUIDv7), the rest random. A fan-out
 * writes 100k rows in pages; with random ids every row landed on a random page of the primary key's btree,
 * time-ordered ones are appended at its right edge (fewer pages touched and logged per page of followers).
 */
// Evaluated per row (a scalar subquery would be computed once for the whole statement: one id for all).
const MS_HEX = "lpad(to_hex((extract(epoch FROM clock_timestamp()) * 1000)::bigint), 12, '0')";
const TIME_ORDERED_ID = `substr(${MS_HEX}, 1, 8) || '-' || substr(${MS_HEX}, 9, 4) || substr(gen_random_uuid()::text, 14)`;

/** Inserts one notification per user (inside the caller's transaction). */
export async function insertNotifications(
  svc: NotificationsThis,
  spec: AnyNotificationType,
  plan: NotificationPlan,
  userIds: string[],
): Promise<InsertResult> {
  const recipients = plan.actorId ? userIds.filter((id) => id !== plan.actorId) : userIds;
  if (recipients.length === 0) return { rows: [], pushJobs: 0 };
  const allowed = new Set(spec.channels);
  const mobileOn = allowed.has("mobile") && svc.providers.mobile !== null;
  const webOn = allowed.has("web") && svc.providers.web !== null;
  const mutable = spec.mutable && plan.channelId !== null;
  const { rendered } = plan;
  const rows = await svc.db.query<{ id: string; user_id: string; in_app: boolean; created_at: Date; jobs: string }>(
    `WITH r AS (
       SELECT u.user_id,
              COALESCE(p.in_app, $10) AND $13 AS in_app,
              COALESCE(p.mobile, $11) AND $14 AS mobile,
              COALESCE(p.web, $12) AND $15 AS web
         FROM unnest($1::text[]) AS u(user_id)
         LEFT JOIN preferences p ON p.user_id = u.user_id AND p.type = $2
        WHERE NOT ($16 AND EXISTS (SELECT 1 FROM channel_mutes m WHERE m.user_id = u.user_id AND m.channel_id = $8))
     ),
     ins AS (
       INSERT INTO notifications (id, user_id, type, source_key, title, body, link, data, channel_id, actor_id, in_app)
       SELECT ${TIME_ORDERED_ID}, r.user_id, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, r.in_app
         FROM r WHERE r.in_app OR r.mobile OR r.web
       ON CONFLICT (user_id, source_key) DO NOTHING
       RETURNING id, user_id, in_app, created_at
     ),
     jobs AS (
       INSERT INTO push_jobs (notification_id, user_id, device_id, kind)
       SELECT ins.id, ins.user_id, d.id, d.kind
         FROM ins JOIN r ON r.user_id = ins.user_id JOIN devices d ON d.user_id = ins.user_id
        WHERE (d.kind = 'mobile' AND r.mobile) OR (d.kind = 'web' AND r.web)
       RETURNING 1
     )
     SELECT ins.id, ins.user_id, ins.in_app, ins.created_at, (SELECT count(*) FROM jobs) AS jobs FROM ins`,
    [
      recipients,
      spec.type,
      plan.sourceKey,
      rendered.title,
      rendered.body,
      rendered.link,
      JSON.stringify(rendered.data),
      plan.channelId,
      plan.actorId,
      spec.defaults.inApp,
      spec.defaults.mobile,
      spec.defaults.web,
      allowed.has("inApp"),
      mobileOn,
      webOn,
      mutable,
    ],
  );
  return {
    rows: rows.map((r) => ({ id: r.id, userId: r.user_id, inApp: r.in_app, createdAt: new Date(r.created_at) })),
    pushJobs: rows.length > 0 ? Number(rows[0]?.jobs ?? 0) : 0,
  };
}

/**
 * After commit: every open socket of the recipients gets the notification
 * with its unread badge, in one broadcast to the realtime nodes; push
 * workers (this node's) look for the new jobs at once.
 */
export async function announce(
  svc: NotificationsThis,
  spec: AnyNotificationType,
  plan: NotificationPlan,
  inserted: InsertResult,
): Promise<void> {
  if (inserted.pushJobs > 0) svc.pushes?.wake();
  const visible = inserted.rows.filter((r) => r.inApp);
  if (visible.length === 0) return;
  let counts: Map<string, number>;
  try {
    counts = await svc.unread.bumped(visible.map((r) => r.userId));
  } catch (err) {
    svc.logger.warn(`unread counts unavailable, pushing without them: ${(err as Error).message}`);
    counts = new Map();
  }
  const first = visible[0] as InsertedNotification;
  await broadcastEvent(
    svc.broker,
    "notifications.pushBatch",
    {
      notification: {
        type: spec.type,
        title: plan.rendered.title,
        ...(plan.rendered.body ? { body: plan.rendered.body } : {}),
        link: plan.rendered.link,
        createdAt: first.createdAt.toISOString(),
        data: plan.rendered.data,
      },
      recipients: visible.map((r) => {
        const unreadCount = counts.get(r.userId);
        return unreadCount === undefined ? { userId: r.userId, id: r.id } : { userId: r.userId, id: r.id, unreadCount };
      }),
    },
    "realtime",
  );
}
