/**
 * notifications: inbox, preferences and devices are the caller's own; the
 * service scopes every query to the token's user, so another user's
 * notification or device answers 404 (an admin's too).
 */
import { randomBytes } from "node:crypto";
import { ok } from "../../../helpers/api-client";
import type { NotificationsThis } from "../../../../services/engagement/notifications/notifications.context";
import type { GuardHarness } from "../guard-harness";
import { anyUser, only, read, type GuardRow } from "../route-guard";

const inbox = (h: GuardHarness) => () => read(h.users.owner.api, "/me/notifications?limit=100");
const preferences = (h: GuardHarness) => () => read(h.users.owner.api, "/me/notification-preferences");
const devices = (h: GuardHarness) => () => read(h.users.owner.api, "/me/devices");

/** An unread notification in the owner's inbox (stored as the fan-out would store it). */
async function notification(h: GuardHarness): Promise<string> {
  const doc = await h.service<NotificationsThis>("notifications").stores.notifications.insert({
    userId: h.users.owner.id,
    type: "stream.live",
    sourceKey: `guard:${randomBytes(6).toString("hex")}`,
    title: "Live now",
    body: null,
    link: null,
    data: {},
    channelId: h.otherChannelId,
    actorId: null,
    inApp: true,
    readAt: null,
  });
  return doc.id;
}

const deviceBody = () => ({ kind: "mobile", platform: "fcm", token: `tok-${randomBytes(24).toString("hex")}` });

async function ownersDevice(h: GuardHarness): Promise<string> {
  return (ok(await h.users.owner.api.request("POST", "/me/devices", deviceBody())) as { id: string }).id;
}

export const notificationsRows: GuardRow[] = [
  {
    route: "POST /me/notifications/read",
    expect: anyUser(200),
    changes: ["owner"],
    attempt: async (h) => {
      await notification(h);
      return { state: inbox(h) };
    },
  },
  {
    route: "POST /me/notifications/:id/read",
    expect: only({ owner: 200 }, 404),
    attempt: async (h) => ({ params: { id: await notification(h) }, state: inbox(h) }),
  },
  {
    route: "DELETE /me/notifications/:id",
    expect: only({ owner: 200 }, 404),
    attempt: async (h) => ({ params: { id: await notification(h) }, state: inbox(h) }),
  },
  {
    route: "PATCH /me/notification-preferences",
    expect: anyUser(200),
    changes: ["owner"],
    attempt: async (h) => ({
      body: { types: { "stream.live": { inApp: false, mobile: false, web: false } } },
      state: preferences(h),
    }),
  },
  {
    route: "PUT /me/notification-preferences/muted-channels/:channelId",
    expect: anyUser(200),
    changes: ["owner"],
    attempt: async (h) => ({ params: { channelId: h.otherChannelId }, state: preferences(h) }),
  },
  {
    route: "DELETE /me/notification-preferences/muted-channels/:channelId",
    expect: anyUser(200),
    changes: ["owner"],
    attempt: async (h) => {
      ok(await h.users.owner.api.request("PUT", `/me/notification-preferences/muted-channels/${h.channelId}`));
      return { params: { channelId: h.channelId }, state: preferences(h) };
    },
  },
  {
    route: "POST /me/devices",
    expect: anyUser(200),
    changes: ["owner"],
    attempt: async (h) => ({ bodyFor: deviceBody, state: devices(h) }),
  },
  {
    route: "DELETE /me/devices/:id",
    expect: only({ owner: 200 }, 404),
    attempt: async (h) => ({ params: { id: await ownersDevice(h) }, state: devices(h) }),
  },
];
