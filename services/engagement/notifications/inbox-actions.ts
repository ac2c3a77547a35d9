/**
 * The caller's inbox: cursor pages (newest first, optionally unread only),
 * one notification with its delivery status, the unread count, mark read,
 * delete. Every query is scoped to ctx.meta.user: nobody reaches another
 * user's notifications (someone else's id is a 404, not a 403).
 */
import { broadcastEvent } from "../../../lib/contracts";
import { NotFoundError, UnauthorizedError } from "../../../lib/errors";
import { decodeCursor, pageLimit, toCursorPage, type CursorPage, type CursorPageParams } from "../../../lib/pagination";
import type { NotificationsContext, NotificationsThis } from "./notifications.context";
import {
  toNotificationView,
  type DeliveryAttemptView,
  type NotificationDetail,
  type NotificationDoc,
  type NotificationView,
  type PushJobView,
} from "./notification.types";
import "./notifications.events";

export interface ListNotificationsParams extends CursorPageParams {
  unread?: boolean;
}

interface NotificationRow {
  id: string;
  user_id: string;
  type: string;
  source_key: string;
  title: string;
  body: string | null;
  link: string | null;
  data: Record<string, string | number | boolean | null>;
  channel_id: string | null;
  actor_id: string | null;
  in_app: boolean;
  read_at: Date | null;
  created_at: Date;
  updated_at: Date;
  /** created_at at full (microsecond) precision, for the cursor. */
  created_key: string;
}

const COLUMNS = `id, user_id, type, source_key, title, body, link, data, channel_id, actor_id, in_app, read_at,
  created_at, updated_at, created_at::text AS created_key`;

function toDoc(r: NotificationRow): NotificationDoc {
  return {
    id: r.id,
    userId: r.user_id,
    type: r.type,
    sourceKey: r.source_key,
    title: r.title,
    body: r.body,
    link: r.link,
    data: r.data ?? {},
    channelId: r.channel_id,
    actorId: r.actor_id,
    inApp: r.in_app,
    readAt: r.read_at ? new Date(r.read_at) : null,
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  };
}

export function callerId(ctx: NotificationsContext): string {
  const id = ctx.meta.user?.id;
  if (!id) throw new UnauthorizedError();
  return id;
}

export async function listNotifications(
  svc: NotificationsThis,
  ctx: NotificationsContext<ListNotificationsParams>,
): Promise<CursorPage<NotificationView>> {
  const userId = callerId(ctx);
  const limit = pageLimit(ctx.params);
  const bind: unknown[] = [userId, limit + 1];
  let where = "user_id = $1 AND in_app";
  if (ctx.params.unread) where += " AND read_at IS NULL";
  if (ctx.params.cursor) {
    const [createdKey, id] = decodeCursor(ctx.params.cursor, 2);
    bind.push(String(createdKey), String(id));
    where += " AND (created_at, id) < ($3::timestamptz, $4)";
  }
  const rows = await svc.db.query<NotificationRow>(
    `SELECT ${COLUMNS} FROM notifications WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT $2`,
    bind,
  );
  return toCursorPage(
    rows,
    limit,
    (r) => [r.created_key, r.id],
    (r) => toNotificationView(toDoc(r)),
  );
}

async function ownNotification(svc: NotificationsThis, userId: string, id: string): Promise<NotificationDoc> {
  const [row] = await svc.db.query<NotificationRow>(
    `SELECT ${COLUMNS} FROM notifications WHERE id = $1 AND user_id = $2`,
    [id, userId],
  );
  if (!row) throw new NotFoundError("Notification", id);
  return toDoc(row);
}

/** One notification with what became of each delivery (push jobs and every attempt). */
export async function getNotification(
  svc: NotificationsThis,
  ctx: NotificationsContext<{ id: string }>,
): Promise<NotificationDetail> {
  const userId = callerId(ctx);
  const doc = await ownNotification(svc, userId, ctx.params.id);
  const [jobs, attempts] = await Promise.all([
    svc.db.query<{
      device_id: string;
      kind: string;
      state: string;
      attempts: number;
      last_error: string | null;
      next_at: Date;
    }>(
      `SELECT device_id, kind, state, attempts, last_error, next_at FROM push_jobs
        WHERE notification_id = $1 ORDER BY id`,
      [doc.id],
    ),
    svc.db.query<{
      channel: "mobile" | "web";
      provider: string | null;
      device_id: string | null;
      status: string;
      error: string | null;
      attempt: number;
      attempted_at: Date;
    }>(
      `SELECT channel, provider, device_id, status, error, attempt, attempted_at FROM delivery_attempts
        WHERE notification_id = $1 ORDER BY id`,
      [doc.id],
    ),
  ]);
  const pushes: PushJobView[] = jobs.map((j) => ({
    deviceId: j.device_id,
    kind: j.kind,
    state: j.state,
    attempts: j.attempts,
    lastError: j.last_error,
    nextAt: j.state === "pending" ? new Date(j.next_at).toISOString() : null,
  }));
  const attemptViews: DeliveryAttemptView[] = attempts.map((a) => ({
    channel: a.channel,
    provider: a.provider,
    deviceId: a.device_id,
    status: a.status,
    error: a.error,
    attempt: a.attempt,
    at: new Date(a.attempted_at).toISOString(),
  }));
  return {
    ...toNotificationView(doc),
    delivery: { inApp: doc.inApp ? "stored" : "off", pushes, attempts: attemptViews },
  };
}

export async function unreadCount(svc: NotificationsThis, ctx: NotificationsContext): Promise<{ unread: number }> {
  return { unread: await svc.unread.get(callerId(ctx)) };
}

/** After a change of the user's unread rows: drop the cached count and update every open tab's badge. */
async function unreadChanged(svc: NotificationsThis, userId: string): Promise<number> {
  await svc.unread.invalidate(userId);
  const count = await svc.unread.get(userId);
  await broadcastEvent(svc.broker, "notifications.unread", { userId, unreadCount: count }, "realtime").catch(
    (err: Error) => svc.logger.warn(`unread badge push failed: ${err.message}`),
  );
  return count;
}

export async function markRead(
  svc: NotificationsThis,
  ctx: NotificationsContext<{ id: string }>,
): Promise<NotificationView & { unreadCount: number }> {
  const userId = callerId(ctx);
  const updated = await svc.db.query<{ id: string }>(
    "UPDATE notifications SET read_at = now(), updated_at = now() WHERE id = $1 AND user_id = $2 AND read_at IS NULL RETURNING id",
    [ctx.params.id, userId],
  );
  const doc = await ownNotification(svc, userId, ctx.params.id);
  const unread = updated.length > 0 ? await unreadChanged(svc, userId) : await svc.unread.get(userId);
  return { ...toNotificationView(doc), unreadCount: unread };
}

export async function markAllRead(
  svc: NotificationsThis,
  ctx: NotificationsContext<{ before?: string }>,
): Promise<{ marked: number; unreadCount: number }> {
  const userId = callerId(ctx);
  // `before`: what the user saw; a notification that arrived meanwhile stays unread.
  const bind: unknown[] = [userId];
  let extra = "";
  if (ctx.params.before) {
    bind.push(ctx.params.before);
    extra = " AND created_at <= $2::timestamptz";
  }
  const rows = await svc.db.query<{ id: string }>(
    `UPDATE notifications SET read_at = now(), updated_at = now()
      WHERE user_id = $1 AND in_app AND read_at IS NULL${extra} RETURNING id`,
    bind,
  );
  const unread = rows.length > 0 ? await unreadChanged(svc, userId) : await svc.unread.get(userId);
  return { marked: rows.length, unreadCount: unread };
}

export async function removeNotification(
  svc: NotificationsThis,
  ctx: NotificationsContext<{ id: string }>,
): Promise<{ id: string; deleted: true; unreadCount: number }> {
  const userId = callerId(ctx);
  const rows = await svc.db.query<{ read_at: Date | null; in_app: boolean }>(
    "DELETE FROM notifications WHERE id = $1 AND user_id = $2 RETURNING read_at, in_app",
    [ctx.params.id, userId],
  );
  const [row] = rows;
  if (!row) throw new NotFoundError("Notification", ctx.params.id);
  const unread = row.read_at === null && row.in_app ? await unreadChanged(svc, userId) : await svc.unread.get(userId);
  return { id: ctx.params.id, deleted: true, unreadCount: unread };
}

/** SQL counts of unread inbox rows for many users at once (the truth behind the Redis cache). */
export async function countUnread(svc: NotificationsThis, userIds: string[]): Promise<Map<string, number>> {
  const rows = await svc.db.query<{ user_id: string; n: string }>(
    `SELECT user_id, count(*) AS n FROM notifications
      WHERE user_id = ANY($1::text[]) AND in_app AND read_at IS NULL GROUP BY user_id`,
    [userIds],
  );
  return new Map(rows.map((r) => [r.user_id, Number(r.n)]));
}
