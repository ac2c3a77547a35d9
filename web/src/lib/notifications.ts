import { computed, effect, signal } from "@preact/signals";
import { api } from "../api/http";
import { currentUser } from "../api/session";
import type { NotificationFrameBody, ServerFrame } from "../realtime/protocol";
import { realtime } from "../realtime/socket";

/**
 * The signed-in tab's notification state: the unread count for the header's
 * bell, kept current by the realtime socket (docs/realtime-protocol.md:
 * `notification` frames carry the new count, `unread` frames follow a read
 * in another tab). While someone is signed in the socket stays open even
 * with no chat room or topic. The count is re-read over REST when the socket
 * (re)opens, so nothing pushed while it was down is missed.
 */
export const unreadCount = signal<number | null>(null);
/** The newest notification pushed to this tab (the inbox page prepends it). */
export const lastPushed = signal<NotificationFrameBody | null>(null);

const userId = computed(() => currentUser.value?.id ?? null);
let generation = 0;

async function refreshCount(): Promise<void> {
  const mine = generation;
  try {
    const res = await api("get /api/v1/me/notifications/unread-count");
    if (mine === generation) unreadCount.value = res.unread;
  } catch {
    // Keep the last known count: the next frame or reconnect corrects it.
  }
}

function onFrame(frame: ServerFrame): void {
  if (frame.type === "notification") {
    lastPushed.value = frame.notification;
    unreadCount.value = frame.unreadCount ?? (unreadCount.value ?? 0) + 1;
  } else if (frame.type === "unread") {
    unreadCount.value = frame.count;
  }
}

/** After a mark-read or delete answered with the new count. */
export function setUnread(count: number): void {
  unreadCount.value = count;
}

effect(() => {
  const id = userId.value;
  generation++;
  unreadCount.value = null;
  lastPushed.value = null;
  if (!id) return;
  const release = realtime.hold();
  const off = realtime.onFrame(onFrame);
  let wasOpen = false;
  const stopWatching = effect(() => {
    const open = realtime.state.value === "open";
    if (open && !wasOpen) void refreshCount();
    wasOpen = open;
  });
  return () => {
    stopWatching();
    off();
    release();
  };
});
