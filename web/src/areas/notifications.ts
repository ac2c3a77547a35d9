import "../lib/notifications";
import { registerRoute } from "../router";

/**
 * Notifications (services/engagement/notifications): the inbox and its
 * settings. The bell in the header and the unread count it shows live in the
 * entry chunk (lib/notifications.ts keeps a signed-in tab's socket open).
 */
registerRoute({ pattern: "/notifications", title: "Notifications", load: () => import("../pages/notifications") });
registerRoute({
  pattern: "/notifications/settings",
  title: "Notification settings",
  load: () => import("../pages/notification-settings"),
});
