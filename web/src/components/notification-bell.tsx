import { currentUser } from "../api/session";
import { unreadCount } from "../lib/notifications";
import { location$ } from "../router";

const BELL =
  "M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2z";

/** The header's bell: a link to the inbox with the unread count the socket keeps current. */
export function NotificationBell() {
  if (!currentUser.value) return null;
  const n = unreadCount.value ?? 0;
  const shown = n > 99 ? "99+" : String(n);
  const here = location$.value.pathname === "/notifications";
  return (
    <a
      class={`bell${here ? " active" : ""}`}
      href="/notifications"
      aria-label={n > 0 ? `Notifications, ${n} unread` : "Notifications"}
      aria-current={here ? "page" : undefined}
      data-testid="notification-bell"
    >
      <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
        <path d={BELL} fill="currentColor" />
      </svg>
      {n > 0 && (
        <span class="bell-count" aria-hidden="true" data-testid="unread-count">
          {shown}
        </span>
      )}
    </a>
  );
}
