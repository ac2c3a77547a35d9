/**
 * The users service's older per-user switches (PATCH /me/preferences
 * `notifications`: push, liveAlerts, followerAlerts, email) are coarse forms
 * of the per-type preferences kept here. Each change arrives as the durable
 * user.preferences.changed (ordered per user) and is written into the
 * preferences, only for the switches that changed, so per-type choices made
 * since stay. Switches set before this existed were copied by migration
 * 002. `email` governs no notification channel (Arena mails only account
 * security notices) and stays with users.
 */
import type { NotificationSettings } from "../../core/users/users.entities";
import type { UserPreferencesChanged } from "../../core/users/users.events";
import { NOTIFICATION_TYPES } from "./catalog";
import type { ChannelSwitches, DeliveryChannel } from "./catalog.types";
import type { NotificationsThis } from "./notifications.context";

/** The type each alert switch governs. */
const GOVERNED: Partial<Record<keyof NotificationSettings, string>> = {
  liveAlerts: "stream.live",
  followerAlerts: "channel.follower",
};

const OFF: ChannelSwitches = { inApp: false, mobile: false, web: false };
const same = (a: ChannelSwitches, b: ChannelSwitches) =>
  a.inApp === b.inApp && a.mobile === b.mobile && a.web === b.web;

interface TypeDefaults {
  type: string;
  channels: readonly DeliveryChannel[];
  defaults: ChannelSwitches;
}

/** Each type's settings after the changed switches, where they differ from `current` (defaults when unset). Pure. */
export function legacyPreferenceRows(
  types: readonly TypeDefaults[],
  current: ReadonlyMap<string, ChannelSwitches>,
  flags: NotificationSettings,
  changed: readonly (keyof NotificationSettings)[],
): { type: string; settings: ChannelSwitches }[] {
  const rows: { type: string; settings: ChannelSwitches }[] = [];
  for (const t of types) {
    const before = current.get(t.type) ?? { ...t.defaults };
    let next = { ...before };
    for (const key of changed) if (GOVERNED[key] === t.type) next = flags[key] ? { ...t.defaults } : { ...OFF };
    if (changed.includes("push")) {
      // Pushes off: phones and browsers hear nothing. Back on: the defaults return for types still wanted in-app.
      next.mobile = flags.push && next.inApp && t.defaults.mobile && t.channels.includes("mobile");
      next.web = flags.push && next.inApp && t.defaults.web && t.channels.includes("web");
    }
    if (!same(before, next)) rows.push({ type: t.type, settings: next });
  }
  return rows;
}

export async function applyLegacySwitches(svc: NotificationsThis, event: UserPreferencesChanged): Promise<void> {
  const stored = await svc.db.query<{ type: string; in_app: boolean; mobile: boolean; web: boolean }>(
    "SELECT type, in_app, mobile, web FROM preferences WHERE user_id = $1",
    [event.userId],
  );
  const current = new Map(stored.map((r) => [r.type, { inApp: r.in_app, mobile: r.mobile, web: r.web }]));
  for (const { type, settings } of legacyPreferenceRows(
    NOTIFICATION_TYPES,
    current,
    event.notifications,
    event.changed,
  ))
    await svc.db.query(
      `INSERT INTO preferences (user_id, type, in_app, mobile, web) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (user_id, type) DO UPDATE SET in_app = $3, mobile = $4, web = $5, updated_at = now()`,
      [event.userId, type, settings.inApp, settings.mobile, settings.web],
    );
}
