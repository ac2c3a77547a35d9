/**
 * Go-live alerts end to end on one broker: stream.started → inbox rows for
 * every follower (not the owner), a `notification` frame with the unread
 * badge on the follower's open socket, once per live session, collapsed
 * when a channel restarts within the window; the inbox API (cursor pages,
 * unread filter, mark read, delete) and its permission checks.
 */
import type { CursorPage } from "../../../../lib/pagination";
import type {
  NotificationDetail,
  NotificationView,
} from "../../../../services/engagement/notifications/notification.types";
import { waitFor } from "../../../helpers/infra";
import {
  channelWithFollowers,
  startNotifications,
  streamStarted,
  type Actor,
  type NotificationsHarness,
} from "./notifications-harness";

jest.setTimeout(60_000);

let h: NotificationsHarness;

beforeAll(async () => {
  h = await startNotifications({ checkResponses: true });
});

afterAll(async () => {
  await h?.stop();
});

async function inbox(a: Actor, query = ""): Promise<CursorPage<NotificationView>> {
  const res = await a.api.request<CursorPage<NotificationView>>("GET", `/me/notifications${query}`);
  expect(res.status).toBe(200);
  return res.body;
}

async function unread(a: Actor): Promise<number> {
  const res = await a.api.request<{ unread: number }>("GET", "/me/notifications/unread-count");
  expect(res.status).toBe(200);
  return res.body.unread;
}

describe("go-live alerts", () => {
  it("reach every follower once (inbox and open socket with the badge), never the owner", async () => {
    const { owner, channelId, slug, followers } = await channelWithFollowers(h, 3);
    const socket = await h.socket(followers[0] as Actor);
    try {
      await h.publish("stream.started", streamStarted(channelId, owner.id, "sess-a1"));
      for (const f of followers) await waitFor(async () => (await inbox(f)).items.length === 1, { what: "inbox row" });
      const [item] = (await inbox(followers[1] as Actor)).items as [NotificationView];
      expect(item).toMatchObject({ type: "stream.live", link: `/c/${slug}`, read: false, channelId });
      expect(item.title).toBe(`Channel ${slug} is live`);
      // User text stays plain text; clients render it as text.
      expect(item.body).toBe("Ranked grind <b>tonight</b>");
      const frame = await socket.waitFor((f) => f.type === "notification");
      expect(frame).toMatchObject({ unreadCount: 1, notification: { type: "stream.live", link: `/c/${slug}` } });
      // The owner hears about new followers, never about their own stream.
      expect((await inbox(owner)).items.map((n) => n.type)).not.toContain("stream.live");

      // A redelivered event (new id) of the same session changes nothing.
      await h.publish("stream.started", streamStarted(channelId, owner.id, "sess-a1"));
      await h.notifications.fanouts.wake();
      await new Promise((r) => setTimeout(r, 300));
      expect((await inbox(followers[2] as Actor)).items).toHaveLength(1);
    } finally {
      socket.close();
    }
  });

  it("collapses restarts within ten minutes into one alert, and alerts again after", async () => {
    const { owner, channelId, followers } = await channelWithFollowers(h, 1);
    const f = followers[0] as Actor;
    const t0 = Date.now() - 30 * 60_000;
    for (const [i, minutes] of [0, 3, 6].entries())
      await h.publish(
        "stream.started",
        streamStarted(channelId, owner.id, `sess-c${i}`, new Date(t0 + minutes * 60_000)),
      );
    await waitFor(async () => (await inbox(f)).items.length === 1, { what: "first alert" });
    await waitFor(
      async () =>
        (
          await h.notifications.db.query<{ suppressed: number }>(
            "SELECT suppressed FROM live_alerts WHERE channel_id = $1",
            [channelId],
          )
        )[0]?.suppressed === 2,
      { what: "two restarts counted" },
    );
    await h.publish("stream.started", streamStarted(channelId, owner.id, "sess-c3", new Date(t0 + 17 * 60_000)));
    await waitFor(async () => (await inbox(f)).items.length === 2, { what: "alert after the window" });
  });

  it("skips an event for a channel that no longer exists (no retry, no dead letter)", async () => {
    await h.publish("stream.started", streamStarted("no-such-channel", "nobody", "sess-x"));
    const { owner, channelId, followers } = await channelWithFollowers(h, 1);
    await h.publish("stream.started", streamStarted(channelId, owner.id, "sess-x2"));
    await waitFor(async () => (await inbox(followers[0] as Actor)).items.length === 1);
    const fanouts = await h.notifications.db.query<{ id: string }>(
      "SELECT id FROM fanouts WHERE channel_id = 'no-such-channel'",
    );
    expect(fanouts).toHaveLength(0);
  });

  it("leaves out followers who muted the channel or turned go-live alerts off", async () => {
    const { owner, channelId, followers } = await channelWithFollowers(h, 3);
    const [muter, off, on] = followers as [Actor, Actor, Actor];
    expect((await muter.api.request("PUT", `/me/notification-preferences/muted-channels/${channelId}`)).status).toBe(
      200,
    );
    const patched = await off.api.request("PATCH", "/me/notification-preferences", {
      types: { "stream.live": { inApp: false, mobile: false, web: false } },
    });
    expect(patched.status).toBe(200);
    await h.publish("stream.started", streamStarted(channelId, owner.id, "sess-m1"));
    await waitFor(async () => (await inbox(on)).items.length === 1);
    expect((await inbox(muter)).items).toHaveLength(0);
    expect((await inbox(off)).items).toHaveLength(0);
    const bad = await on.api.request("PATCH", "/me/notification-preferences", {
      types: { "no.such": { inApp: true } },
    });
    expect(bad.status).toBe(400);
  });
});

describe("inbox", () => {
  it("pages newest first, filters unread, marks read and deletes; the badge follows", async () => {
    const { owner, channelId, followers } = await channelWithFollowers(h, 1);
    const f = followers[0] as Actor;
    const base = Date.now() - 5 * 3600_000;
    // Sessions an hour apart, each started after the last one's alert: each one alerts.
    for (let i = 0; i < 5; i++) {
      await h.publish(
        "stream.started",
        streamStarted(channelId, owner.id, `sess-p${i}`, new Date(base + i * 3600_000)),
      );
      await waitFor(async () => (await unread(f)) === i + 1, { what: `${i + 1} unread` });
    }

    const first = await inbox(f, "?limit=2");
    expect(first.items).toHaveLength(2);
    const second = await inbox(f, `?limit=2&cursor=${first.nextCursor}`);
    const third = await inbox(f, `?limit=2&cursor=${second.nextCursor}`);
    expect(third.nextCursor).toBeNull();
    const ids = [...first.items, ...second.items, ...third.items].map((n) => n.id);
    expect(new Set(ids).size).toBe(5);

    const target = first.items[0] as NotificationView;
    const socket = await h.socket(f);
    try {
      const marked = await f.api.request<{ read: boolean; unreadCount: number }>(
        "POST",
        `/me/notifications/${target.id}/read`,
      );
      expect(marked.body).toMatchObject({ read: true, unreadCount: 4 });
      // Other tabs get the new badge.
      await socket.waitFor((fr) => fr.type === "unread" && fr.count === 4);
    } finally {
      socket.close();
    }
    expect((await inbox(f, "?unread=true")).items.map((n) => n.id)).not.toContain(target.id);

    const detail = await f.api.request<NotificationDetail>("GET", `/me/notifications/${target.id}`);
    expect(detail.body.delivery).toMatchObject({ inApp: "stored", pushes: [], attempts: [] });

    const removed = await f.api.request<{ unreadCount: number }>("DELETE", `/me/notifications/${ids[1]}`);
    expect(removed.body.unreadCount).toBe(3);
    const all = await f.api.request<{ marked: number; unreadCount: number }>("POST", "/me/notifications/read", {});
    expect(all.body).toEqual({ marked: 3, unreadCount: 0 });
    expect(await unread(f)).toBe(0);
    expect((await inbox(f)).items).toHaveLength(4);
  });

  it("gives nobody else's notifications: 404 for another user's id, 401 without a token, 400 on a bad cursor", async () => {
    const { owner, channelId, followers } = await channelWithFollowers(h, 2);
    const [a, b] = followers as [Actor, Actor];
    await h.publish("stream.started", streamStarted(channelId, owner.id, "sess-z"));
    await waitFor(async () => (await inbox(a)).items.length === 1);
    const id = ((await inbox(a)).items[0] as NotificationView).id;
    expect((await b.api.request("GET", `/me/notifications/${id}`)).status).toBe(404);
    expect((await b.api.request("POST", `/me/notifications/${id}/read`)).status).toBe(404);
    expect((await b.api.request("DELETE", `/me/notifications/${id}`)).status).toBe(404);
    expect((await a.api.as(undefined).request("GET", "/me/notifications")).status).toBe(401);
    expect((await a.api.request("GET", "/me/notifications?cursor=bm9wZQ")).status).toBe(400);
    expect((await a.api.request("GET", "/me/notifications?limit=1000")).status).toBe(400);
    // Still unread for its owner.
    expect(await unread(a)).toBe(1);
  });

  it("answers as the OpenAPI document declares (issue 9)", async () => {
    const { channelId, followers } = await channelWithFollowers(h, 1);
    const [reader] = followers as [Actor];
    const muted = `/me/notification-preferences/muted-channels/${channelId}`;
    expect((await reader.api.request("PUT", muted)).status).toBe(200);
    expect((await reader.api.request("DELETE", muted)).status).toBe(200);
    expect((await reader.api.request("GET", "/me/notification-preferences")).status).toBe(200);
    expect((await reader.api.request("GET", "/me/devices")).status).toBe(200);
    expect((await reader.api.request("GET", "/notifications/web-push-key")).status).toBe(200);
    expect(h.responses?.violationsOf("notifications.")).toEqual([]);
    // Registering and removing devices needs push providers: push.test.ts checks those answers.
    expect(h.responses?.unanswered("notifications.")).toEqual([
      "DELETE /api/v1/me/devices/{id}",
      "POST /api/v1/me/devices",
    ]);
  });
});
