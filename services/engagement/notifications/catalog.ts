/**
 * Every notification type Arena sends: the event it comes from, who receives
 * it, its text and link, and the channels it may use. Adding a type is one
 * entry in the area file it belongs to (catalog-*.ts) and one line here
 * (docs/notifications.md); delivery, preferences and the web client's
 * preferences page read this list.
 */
import { live, newFollower, newPost, newVideo } from "./catalog-channels";
import { postComment, videoComment, videoCommentReply } from "./catalog-comments";
import { accountReinstated, accountSuspended, reportResolved, scheduleStarting } from "./catalog-community";
import { cancelled, matchReady, registration } from "./catalog-tournaments";
import type { AnyNotificationType } from "./catalog.types";

/** The catalog, in the order the preferences page lists it. */
export const NOTIFICATION_TYPES: readonly AnyNotificationType[] = [
  live,
  scheduleStarting,
  newVideo,
  newPost,
  newFollower,
  videoComment,
  videoCommentReply,
  postComment,
  registration,
  matchReady,
  cancelled,
  reportResolved,
  accountSuspended,
  accountReinstated,
];

export const TYPE_NAMES = NOTIFICATION_TYPES.map((t) => t.type);

export function typeSpec(type: string): AnyNotificationType | undefined {
  return NOTIFICATION_TYPES.find((t) => t.type === type);
}
