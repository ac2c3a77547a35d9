import { typedRoute, type RouteSpec, type RouteTable } from "../../edge/api/route-table";
import type { Schema } from "../../../lib/http/response-schema";
import type { ActionName, ResultOf } from "../../../lib/contracts/actions";
import * as R from "./notifications.responses";

/** A route and the body of its success: `response` has the type of the action's result. */
const route = <N extends ActionName>(
  method: RouteSpec["method"],
  path: string,
  action: N,
  summary: string,
  response: Schema<ResultOf<N>>,
  auth: RouteSpec["auth"] = "required",
): RouteSpec => typedRoute<N>({ method, path, action, auth, summary, response });

export const notificationsRoutes: RouteTable = {
  routes: [
    route(
      "GET",
      "/me/notifications",
      "notifications.list",
      "The caller's notifications, newest first (?unread=true)",
      R.NOTIFICATION_PAGE,
    ),
    route(
      "GET",
      "/me/notifications/unread-count",
      "notifications.unreadCount",
      "How many are unread (the badge)",
      R.UNREAD,
    ),
    route(
      "POST",
      "/me/notifications/read",
      "notifications.markAllRead",
      "Mark all (up to `before`) read",
      R.MARKED_ALL_READ,
    ),
    route(
      "GET",
      "/me/notifications/:id",
      "notifications.get",
      "One notification with its delivery status",
      R.NOTIFICATION_DETAIL,
    ),
    route("POST", "/me/notifications/:id/read", "notifications.markRead", "Mark one read", R.MARKED_READ),
    route("DELETE", "/me/notifications/:id", "notifications.remove", "Delete one", R.NOTIFICATION_DELETED),
    route(
      "GET",
      "/me/notification-preferences",
      "notifications.preferences",
      "Per-type switches and muted channels",
      R.PREFERENCES,
    ),
    route(
      "PATCH",
      "/me/notification-preferences",
      "notifications.updatePreferences",
      "Turn types on or off per channel (in-app, mobile, web)",
      R.PREFERENCES,
    ),
    route(
      "PUT",
      "/me/notification-preferences/muted-channels/:channelId",
      "notifications.muteChannel",
      "Mute a channel's go-live, video and post alerts",
      R.PREFERENCES,
    ),
    route(
      "DELETE",
      "/me/notification-preferences/muted-channels/:channelId",
      "notifications.unmuteChannel",
      "Unmute a channel",
      R.PREFERENCES,
    ),
    route("GET", "/me/devices", "notifications.devices", "The caller's push devices", R.DEVICES),
    route(
      "POST",
      "/me/devices",
      "notifications.registerDevice",
      "Register an FCM/APNs token or a Web Push subscription",
      R.DEVICE,
    ),
    route("DELETE", "/me/devices/:id", "notifications.removeDevice", "Remove a push device", R.DEVICE_DELETED),
    route(
      "GET",
      "/notifications/web-push-key",
      "notifications.webPushKey",
      "VAPID public key for PushManager.subscribe (null: Web Push off)",
      R.WEB_PUSH_KEY,
      "none",
    ),
  ],
};
