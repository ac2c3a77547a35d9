/**
 * Plain events between notifications nodes and realtime nodes. The inbox row
 * is the durable record; these only carry it to open sockets, so a lost one
 * costs a live frame, never a notification.
 */
import type { UserNotification } from "../../edge/realtime/protocol";

export interface PushRecipient {
  userId: string;
  /** The recipient's own notification id. */
  id: string;
  /** Absent when not known cheaply (see unread-counter.ts): the client asks for its count. */
  unreadCount?: number;
}

/**
 * One notification for many users (a fan-out batch): realtime nodes build
 * each local recipient's frame from the shared template, so 1,000 recipients
 * cost one broadcast of ids and counts, not 1,000 events.
 */
export interface NotificationPushBatch {
  notification: Omit<UserNotification, "id">;
  recipients: PushRecipient[];
}

/** A user's unread count changed without a new notification (read, deleted): every open tab updates its badge. */
export interface NotificationUnreadChanged {
  userId: string;
  unreadCount: number;
}

declare module "../../../lib/contracts/events" {
  interface PlainEventMap {
    "notifications.pushBatch": NotificationPushBatch;
    "notifications.unread": NotificationUnreadChanged;
  }
}
