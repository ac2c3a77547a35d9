/**
 * The community notification types on one broker: "starting soon" reaches
 * only the channel's followers who opted in (off by default); a resolved
 * report tells each reporter the outcome; the users service's older
 * switches (PATCH /me/preferences `notifications`) flow into the
 * notification preferences through user.preferences.changed.
 */
import type { CursorPage } from "../../../../lib/pagination";
import type {
  NotificationView,
  PreferencesView,
} from "../../../../services/engagement/notifications/notification.types";
import { waitFor } from "../../../helpers/infra";
import {
  channelWithFollowers,
  startNotifications,
  type Actor,
  type NotificationsHarness,
} from "./notifications-harness";
import "../../../../services/core/moderation/moderation.events";
import "../../../../services/core/schedules/schedules.events";

jest.setTimeout(60_000);

let h: NotificationsHarness;

beforeAll(async () => {
  h = await startNotifications({ noRealtime: true });
});

afterAll(async () => {
  await h?.stop();
});

async function inbox(a: Actor): Promise<NotificationView[]> {
  const res = await a.api.request<CursorPage<NotificationView>>("GET", "/me/notifications");
  expect(res.status).toBe(200);
  return res.body.items;
}

async function preferences(a: Actor): Promise<PreferencesView> {
  const res = await a.api.request<PreferencesView>("GET", "/me/notification-preferences");
  expect(res.status).toBe(200);
  return res.body;
}

it("starting soon: only followers who opted in, once per occurrence", async () => {
  const { owner, channelId, slug, followers } = await channelWithFollowers(h, 2);
  const [optedIn, other] = followers as [Actor, Actor];
  expect((await preferences(other)).types.find((t) => t.type === "schedule.starting")?.settings).toEqual({
    inApp: false,
    mobile: false,
    web: false,
  });
  const patched = await optedIn.api.request("PATCH", "/me/notification-preferences", {
    types: { "schedule.starting": { inApp: true } },
  });
  expect(patched.status).toBe(200);
  const startsAt = new Date(Date.now() + 15 * 60_000);
  const event = {
    occurrenceId: `seg-1:${startsAt.getTime()}`,
    segmentId: "seg-1",
    channelId,
    title: "Any% attempts",
    category: null,
    startsAt: startsAt.toISOString(),
    endsAt: new Date(startsAt.getTime() + 3_600_000).toISOString(),
    leadMinutes: 15,
  };
  await h.publish("schedule.segment.starting", event);
  await h.publish("schedule.segment.starting", event);
  const [notice] = await waitFor(async () => {
    const items = await inbox(optedIn);
    return items.length > 0 ? items : null;
  });
  expect(notice).toMatchObject({ type: "schedule.starting", body: "Any% attempts", link: `/c/${slug}` });
  expect(notice?.title).toContain("goes live in 15 min");
  await waitFor(async () => {
    const rows = await h.notifications.db.query<{ state: string }>(
      "SELECT state FROM fanouts WHERE type = 'schedule.starting' AND channel_id = $1",
      [channelId],
    );
    return rows.length === 1 && rows[0]?.state === "done";
  });
  expect(await inbox(optedIn)).toHaveLength(1);
  expect(await inbox(other)).toHaveLength(0);
  // The owner hears of their followers, not of their own schedule.
  expect((await inbox(owner)).filter((n) => n.type === "schedule.starting")).toHaveLength(0);
});

it("report resolved: every reporter hears the outcome, never who acted", async () => {
  const [a, b, bystander] = await Promise.all([h.actor("rpa"), h.actor("rpb"), h.actor("rpc")]);
  await h.publish("report.resolved", {
    reportId: "rep-1",
    targetKind: "chat_message",
    targetId: "m-1",
    channelId: null,
    action: "ban",
    reporterIds: [a.id, b.id],
    resolvedAt: new Date().toISOString(),
  });
  for (const reporter of [a, b]) {
    const [n] = await waitFor(async () => {
      const items = await inbox(reporter);
      return items.length > 0 ? items : null;
    });
    expect(n).toMatchObject({ type: "report.resolved", title: "Your report of a chat message was handled" });
    expect(n?.body).toContain("banned from the channel");
  }
  expect(await inbox(bystander)).toHaveLength(0);
});

it("the users service's older switches become notification preferences", async () => {
  const u = await h.actor("legacy");
  const live = async () => (await preferences(u)).types.find((t) => t.type === "stream.live")?.settings;
  expect(await live()).toEqual({ inApp: true, mobile: true, web: true });
  const res = await u.api.request("PATCH", "/me/preferences", { notifications: { liveAlerts: false, push: false } });
  expect(res.status).toBe(200);
  await waitFor(async () => (await live())?.inApp === false, { what: "live alerts off" });
  const prefs = await preferences(u);
  expect(prefs.types.find((t) => t.type === "stream.live")?.settings).toEqual({
    inApp: false,
    mobile: false,
    web: false,
  });
  // Pushes off everywhere; in-app of the other types untouched.
  expect(prefs.types.find((t) => t.type === "comment.reply")?.settings).toEqual({
    inApp: true,
    mobile: false,
    web: false,
  });
  expect(
    (await u.api.request("PATCH", "/me/preferences", { notifications: { liveAlerts: true, push: true } })).status,
  ).toBe(200);
  await waitFor(async () => (await live())?.mobile === true, { what: "live alerts back on" });
  expect(await live()).toEqual({ inApp: true, mobile: true, web: true });
});
