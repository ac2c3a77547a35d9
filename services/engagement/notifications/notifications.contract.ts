/**
 * The actions the notifications service offers. notifications.service.ts is
 * checked against them with `satisfies ServiceActions<"notifications", NotificationsThis>`.
 */
import type { CursorPage } from "../../../lib/pagination";
import type { RegisterDeviceParams } from "./device-actions";
import type { ListNotificationsParams } from "./inbox-actions";
import type { DeviceView, NotificationDetail, NotificationView, PreferencesView } from "./notification.types";
import type { UpdatePreferencesParams } from "./preference-actions";

declare module "../../../lib/contracts/actions" {
  interface ActionMap {
    "notifications.list": { params: ListNotificationsParams; result: CursorPage<NotificationView> };
    "notifications.get": { params: { id: string }; result: NotificationDetail };
    "notifications.unreadCount": { params: Record<string, never>; result: { unread: number } };
    "notifications.markRead": { params: { id: string }; result: NotificationView & { unreadCount: number } };
    "notifications.markAllRead": { params: { before?: string }; result: { marked: number; unreadCount: number } };
    "notifications.remove": { params: { id: string }; result: { id: string; deleted: true; unreadCount: number } };
    "notifications.preferences": { params: Record<string, never>; result: PreferencesView };
    "notifications.updatePreferences": { params: UpdatePreferencesParams; result: PreferencesView };
    "notifications.muteChannel": { params: { channelId: string }; result: PreferencesView };
    "notifications.unmuteChannel": { params: { channelId: string }; result: PreferencesView };
    "notifications.devices": { params: Record<string, never>; result: { items: DeviceView[] } };
    "notifications.registerDevice": { params: RegisterDeviceParams; result: DeviceView };
    "notifications.removeDevice": { params: { id: string }; result: { id: string; deleted: true } };
    "notifications.webPushKey": { params: Record<string, never>; result: { publicKey: string | null } };
    /** Operators and tests: run the retention sweep now. */
    "notifications.sweep": { params: Record<string, never>; result: { deleted: number } };
  }
}
