import type { ServiceActionsSchema } from "moleculer";
import { requireUser } from "../../../lib/auth/ownership";
import { ValidationError } from "../../../lib/errors";
import {
  isSafeHttpUrl,
  plainText,
  toPrivateProfile,
  type NotificationSettings,
  type PrivateProfile,
  type ProfileLink,
} from "./profile";
import type { UsersCtx, UsersThis } from "./users.service";

export interface UpdateProfileParams {
  displayName?: string;
  bio?: string;
  avatarUrl?: string | null;
  links?: ProfileLink[];
}

export interface UpdatePreferencesParams {
  language?: string;
  notifications?: Partial<NotificationSettings>;
}

function assertUrls(params: UpdateProfileParams): void {
  const bad: { field: string; message: string }[] = [];
  if (params.avatarUrl && !isSafeHttpUrl(params.avatarUrl))
    bad.push({ field: "avatarUrl", message: "must be an http(s) URL" });
  params.links?.forEach((link, i) => {
    if (!isSafeHttpUrl(link.url)) bad.push({ field: `links[${i}].url`, message: "must be an http(s) URL" });
  });
  if (bad.length > 0) throw new ValidationError("Invalid URL", bad);
}

/** Profile and preference changes: always the caller's own record (no id param, so nobody can aim at another user). */
export const profileActions: ServiceActionsSchema = {
  /** Changes the caller's public profile; publishes user.updated. */
  updateProfile: {
    params: {
      displayName: { type: "string", min: 1, max: 50, optional: true },
      bio: { type: "string", max: 500, optional: true },
      avatarUrl: { type: "string", max: 500, optional: true, nullable: true },
      links: {
        type: "array",
        max: 5,
        optional: true,
        items: {
          type: "object",
          strict: "remove",
          props: { label: { type: "string", min: 1, max: 40 }, url: { type: "string", max: 300 } },
        },
      },
      $$strict: "remove",
    },
    async handler(this: UsersThis, ctx: UsersCtx<UpdateProfileParams>): Promise<PrivateProfile> {
      const user = requireUser(ctx);
      assertUrls(ctx.params);
      const patch: UpdateProfileParams = {};
      if (ctx.params.displayName !== undefined) {
        patch.displayName = plainText(ctx.params.displayName);
        if (!patch.displayName)
          throw new ValidationError("displayName is empty", [
            { field: "displayName", message: "empty after removing markup" },
          ]);
      }
      if (ctx.params.bio !== undefined) patch.bio = plainText(ctx.params.bio);
      if (ctx.params.avatarUrl !== undefined) patch.avatarUrl = ctx.params.avatarUrl;
      if (ctx.params.links !== undefined)
        patch.links = ctx.params.links.map((l) => ({ label: plainText(l.label), url: l.url }));
      const changed = Object.keys(patch);
      if (changed.length === 0) return toPrivateProfile(await this.loadUser(user.id));
      const updated = await this.db.transaction(async () => {
        await this.loadUser(user.id);
        const saved = await this.stores.profiles.updateById(user.id, patch);
        if (!saved) throw new Error("profile vanished during update");
        await this.publishDurable("user.updated", {
          userId: saved.id,
          changed,
          displayName: saved.displayName,
          avatarUrl: saved.avatarUrl,
          updatedAt: saved.updatedAt.toISOString(),
        });
        return saved;
      });
      return toPrivateProfile(updated);
    },
  },

  /** Changes the caller's preferences (private: no event). */
  updatePreferences: {
    params: {
      language: { type: "string", pattern: "^[a-z]{2}(-[A-Z]{2})?$", optional: true },
      notifications: {
        type: "object",
        optional: true,
        strict: "remove",
        props: {
          email: { type: "boolean", optional: true },
          push: { type: "boolean", optional: true },
          liveAlerts: { type: "boolean", optional: true },
          followerAlerts: { type: "boolean", optional: true },
        },
      },
      $$strict: "remove",
    },
    async handler(this: UsersThis, ctx: UsersCtx<UpdatePreferencesParams>): Promise<PrivateProfile> {
      const user = requireUser(ctx);
      const current = await this.loadUser(user.id);
      if (ctx.params.language === undefined && ctx.params.notifications === undefined) return toPrivateProfile(current);
      const saved = await this.stores.profiles.updateById(user.id, {
        ...(ctx.params.language !== undefined ? { language: ctx.params.language } : {}),
        ...(ctx.params.notifications !== undefined
          ? { notifications: { ...current.notifications, ...ctx.params.notifications } }
          : {}),
      });
      return toPrivateProfile(saved ?? current);
    },
  },
};
