/**
 * This node's open sockets of each signed-in user: where a notification or a
 * change of the user's unread count is delivered (every open tab of theirs).
 */
import type { NotificationPushBatch } from "../../engagement/notifications/notifications.events";
import type { ServerFrame, UserNotification } from "./protocol";
import type { Socket } from "./socket-data";

export class UserSockets {
  private readonly byUser = new Map<string, Set<Socket>>();

  /** `send` is the gateway's (corked, backpressure policed). */
  constructor(private readonly send: (ws: Socket, frame: ServerFrame) => void) {}

  add(userId: string, ws: Socket): void {
    let set = this.byUser.get(userId);
    if (!set) this.byUser.set(userId, (set = new Set()));
    set.add(ws);
  }

  remove(userId: string, ws: Socket): void {
    const set = this.byUser.get(userId);
    set?.delete(ws);
    if (set && set.size === 0) this.byUser.delete(userId);
  }

  notifyUser(userId: string, notification: UserNotification, unreadCount?: number): number {
    const sockets = this.byUser.get(userId);
    if (!sockets) return 0;
    const frame = unreadCount === undefined ? { notification } : { notification, unreadCount };
    for (const ws of sockets) this.send(ws, { type: "notification", ...frame });
    return sockets.size;
  }

  /** One notification for many users (a fan-out batch): only this node's sockets of them get a frame. */
  notifyMany(batch: NotificationPushBatch): number {
    let sent = 0;
    for (const r of batch.recipients) {
      if (!this.byUser.has(r.userId)) continue;
      sent += this.notifyUser(r.userId, { ...batch.notification, id: r.id }, r.unreadCount);
    }
    return sent;
  }

  /** The user's unread count changed (read elsewhere): every open tab updates its badge. */
  updateUnread(userId: string, count: number): void {
    const sockets = this.byUser.get(userId);
    if (!sockets) return;
    for (const ws of sockets) this.send(ws, { type: "unread", count });
  }
}
