import type { RouteSpec, RouteTable } from "../../edge/api/route-table";

const route = (
  method: RouteSpec["method"],
  path: string,
  action: string,
  summary: string,
  auth: RouteSpec["auth"] = "required",
): RouteSpec => ({ method, path, action, auth, summary });

/**
 * /api/v1/me/notifications*, /me/notification-preferences*, /me/devices*:
 * the caller's own data only (the service scopes every query to the token's
 * user; another user's id answers 404).
 */
export const notificationsRoutes: RouteTable = {
  routes: [
    route("GET", "/me/notifications", "notifications.list", "The caller's notifications, newest first (?unread=true)"),
    route("GET", "/me/notifications/unread-count", "notifications.unreadCount", "How many are unread (the badge)"),
    route("POST", "/me/notifications/read", "notifications.markAllRead", "Mark all (up to `before`) read"),
    route("GET", "/me/notifications/:id", "notifications.get", "One notification with its delivery status"),
    route("POST", "/me/notifications/:id/read", "notifications.markRead", "Mark one read"),
    route("DELETE", "/me/notifications/:id", "notifications.remove", "Delete one"),
    route("GET", "/me/notification-preferences", "notifications.preferences", "Per-type switches and muted channels"),
    route(
      "PATCH",
      "/me/notification-preferences",
      "notifications.updatePreferences",
      "Turn types on or off per channel (in-app, mobile, web)",
    ),
    route(
      "PUT",
      "/me/notification-preferences/muted-channels/:channelId",
      "notifications.muteChannel",
      "Mute a channel's go-live, video and post alerts",
    ),
    route(
      "DELETE",
      "/me/notification-preferences/muted-channels/:channelId",
      "notifications.unmuteChannel",
      "Unmute a channel",
    ),
    route("GET", "/me/devices", "notifications.devices", "The caller's push devices"),
    route(
      "POST",
      "/me/devices",
      "notifications.registerDevice",
      "Register an FCM/APNs token or a Web Push subscription",
    ),
    route("DELETE", "/me/devices/:id", "notifications.removeDevice", "Remove a push device"),
    route(
      "GET",
      "/notifications/web-push-key",
      "notifications.webPushKey",
      "VAPID public key for PushManager.subscribe (null: Web Push off)",
      "none",
    ),
  ],
};
