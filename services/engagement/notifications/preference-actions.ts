/**
 * Per-type, per-channel switches (in-app, mobile push, web push) and channel
 * mutes. Only changes from the catalog defaults are stored; delivery reads
 * them in the same SQL statement that writes a batch.
 */
import { ValidationError } from "../../../lib/errors";
import { NOTIFICATION_TYPES, typeSpec } from "./catalog";
import type { ChannelSwitches, DeliveryChannel } from "./catalog.types";
import { callerId } from "./inbox-actions";
import type { NotificationsContext, NotificationsThis } from "./notifications.context";
import type { PreferencesView } from "./notification.types";

export interface UpdatePreferencesParams {
  types?: Record<string, Partial<ChannelSwitches>>;
}

/** At most this many muted channels per user. */
export const MAX_MUTES = 1000;

async function preferencesOf(svc: NotificationsThis, userId: string): Promise<PreferencesView> {
  const [rows, mutes] = await Promise.all([
    svc.db.query<{ type: string; in_app: boolean; mobile: boolean; web: boolean }>(
      "SELECT type, in_app, mobile, web FROM preferences WHERE user_id = $1",
      [userId],
    ),
    svc.db.query<{ channel_id: string }>(
      "SELECT channel_id FROM channel_mutes WHERE user_id = $1 ORDER BY created_at, channel_id",
      [userId],
    ),
  ]);
  const stored = new Map(rows.map((r) => [r.type, { inApp: r.in_app, mobile: r.mobile, web: r.web }]));
  return {
    types: NOTIFICATION_TYPES.map((t) => {
      const own = stored.get(t.type);
      return {
        type: t.type,
        label: t.label,
        channels: [...t.channels],
        settings: own ?? { ...t.defaults },
        isDefault: !own,
      };
    }),
    mutedChannels: mutes.map((m) => m.channel_id),
  };
}

export async function getPreferences(svc: NotificationsThis, ctx: NotificationsContext): Promise<PreferencesView> {
  return preferencesOf(svc, callerId(ctx));
}

export async function updatePreferences(
  svc: NotificationsThis,
  ctx: NotificationsContext<UpdatePreferencesParams>,
): Promise<PreferencesView> {
  const userId = callerId(ctx);
  const changes = Object.entries(ctx.params.types ?? {});
  const unknown = changes.filter(([type]) => !typeSpec(type)).map(([type]) => type);
  if (unknown.length > 0)
    throw new ValidationError(
      "Unknown notification type",
      unknown.map((type) => ({ field: `types.${type}`, message: "Not a notification type" })),
    );
  const current = await preferencesOf(svc, userId);
  await svc.db.transaction(async () => {
    for (const [type, patch] of changes) {
      const spec = typeSpec(type);
      const view = current.types.find((t) => t.type === type);
      if (!spec || !view) continue;
      const next: ChannelSwitches = { ...view.settings };
      for (const channel of Object.keys(patch) as DeliveryChannel[]) {
        // A channel the type never uses stays off whatever is asked.
        next[channel] = Boolean(patch[channel]) && spec.channels.includes(channel);
      }
      await svc.db.query(
        `INSERT INTO preferences (user_id, type, in_app, mobile, web) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (user_id, type) DO UPDATE SET in_app = $3, mobile = $4, web = $5, updated_at = now()`,
        [userId, type, next.inApp, next.mobile, next.web],
      );
    }
  });
  return preferencesOf(svc, userId);
}

export async function muteChannel(
  svc: NotificationsThis,
  ctx: NotificationsContext<{ channelId: string }>,
): Promise<PreferencesView> {
  const userId = callerId(ctx);
  const [{ n }] = (await svc.db.query<{ n: string }>("SELECT count(*) AS n FROM channel_mutes WHERE user_id = $1", [
    userId,
  ])) as [{ n: string }];
  if (Number(n) >= MAX_MUTES)
    throw new ValidationError("Too many muted channels", [{ field: "channelId", message: `At most ${MAX_MUTES}` }]);
  await svc.db.query(
    "INSERT INTO channel_mutes (user_id, channel_id) VALUES ($1, $2) ON CONFLICT (user_id, channel_id) DO NOTHING",
    [userId, ctx.params.channelId],
  );
  return preferencesOf(svc, userId);
}

export async function unmuteChannel(
  svc: NotificationsThis,
  ctx: NotificationsContext<{ channelId: string }>,
): Promise<PreferencesView> {
  const userId = callerId(ctx);
  await svc.db.query("DELETE FROM channel_mutes WHERE user_id = $1 AND channel_id = $2", [
    userId,
    ctx.params.channelId,
  ]);
  return preferencesOf(svc, userId);
}
