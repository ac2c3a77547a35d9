/** Profile and preference changes: always the caller's own record (no id param, so nobody can aim at another user). */
import { requireUser } from "../../../lib/auth/ownership";
import type { ActionContext } from "../../../lib/contracts";
import { ValidationError } from "../../../lib/errors";
import { toPlainText } from "../../../lib/text/plain-text";
import { isSafeHttpUrl, toPrivateProfile, type PrivateProfile } from "./profile";
import { loadUser } from "./user-lookup";
import type { UsersThis } from "./users.context";
import { DEFAULT_NOTIFICATIONS, type NotificationSettings } from "./users.entities";
import { preferencesEventKey } from "./users.events";
import type { UpdateProfileParams } from "./users.params";

function assertUrls(params: UpdateProfileParams): void {
  const bad: { field: string; message: string }[] = [];
  if (params.avatarUrl && !isSafeHttpUrl(params.avatarUrl))
    bad.push({ field: "avatarUrl", message: "must be an http(s) URL" });
  params.links?.forEach((link, i) => {
    if (!isSafeHttpUrl(link.url)) bad.push({ field: `links[${i}].url`, message: "must be an http(s) URL" });
  });
  if (bad.length > 0) throw new ValidationError("Invalid URL", bad);
}

/** Changes the caller's public profile; publishes user.updated. */
export async function updateProfile(
  svc: UsersThis,
  ctx: ActionContext<"users.updateProfile">,
): Promise<PrivateProfile> {
  const user = requireUser(ctx);
  assertUrls(ctx.params);
  const patch: UpdateProfileParams = {};
  if (ctx.params.displayName !== undefined) {
    patch.displayName = toPlainText(ctx.params.displayName);
    if (!patch.displayName)
      throw new ValidationError("displayName is empty", [
        { field: "displayName", message: "empty after removing markup" },
      ]);
  }
  if (ctx.params.bio !== undefined) patch.bio = toPlainText(ctx.params.bio);
  if (ctx.params.avatarUrl !== undefined) patch.avatarUrl = ctx.params.avatarUrl;
  if (ctx.params.links !== undefined)
    patch.links = ctx.params.links.map((l) => ({ label: toPlainText(l.label), url: l.url }));
  const changed = Object.keys(patch);
  if (changed.length === 0) return toPrivateProfile(await loadUser(svc, user.id));
  const updated = await svc.db.transaction(async () => {
    await loadUser(svc, user.id);
    const saved = await svc.stores.profiles.updateById(user.id, patch);
    if (!saved) throw new Error("profile vanished during update");
    await svc.publishDurable("user.updated", {
      userId: saved.id,
      changed,
      displayName: saved.displayName,
      avatarUrl: saved.avatarUrl,
      updatedAt: saved.updatedAt.toISOString(),
    });
    return saved;
  });
  return toPrivateProfile(updated);
}

/**
 * Changes the caller's preferences. Private: no public event; turned
 * notification switches go to the notifications service as the durable
 * user.preferences.changed, committed with the change.
 */
export async function updatePreferences(
  svc: UsersThis,
  ctx: ActionContext<"users.updatePreferences">,
): Promise<PrivateProfile> {
  const user = requireUser(ctx);
  const current = await loadUser(svc, user.id);
  if (ctx.params.language === undefined && ctx.params.notifications === undefined) return toPrivateProfile(current);
  const before = { ...DEFAULT_NOTIFICATIONS, ...current.notifications };
  const notifications = { ...before, ...ctx.params.notifications };
  const changed = (Object.keys(notifications) as (keyof NotificationSettings)[]).filter(
    (key) => notifications[key] !== before[key],
  );
  const saved = await svc.db.transaction(async () => {
    const updated = await svc.stores.profiles.updateById(user.id, {
      ...(ctx.params.language !== undefined ? { language: ctx.params.language } : {}),
      ...(ctx.params.notifications !== undefined
        ? { notifications: { ...current.notifications, ...ctx.params.notifications } }
        : {}),
    });
    if (changed.length > 0)
      await svc.publishDurable(
        "user.preferences.changed",
        { userId: user.id, notifications, changed, changedAt: new Date().toISOString() },
        { key: preferencesEventKey(user.id) },
      );
    return updated;
  });
  return toPrivateProfile(saved ?? current);
}
