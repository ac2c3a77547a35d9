/**
 * Channel schedules against PostgreSQL behind the real gateway: segments
 * written by the owner only, occurrences listed in order with cursor pages,
 * the iCalendar feed, a stream.started (published by a stand-in producer with
 * the real event type) linked to the occurrence it starts in, and the
 * "starting soon" event sent once per occurrence, never for a cancelled one.
 */
import type { Service, ServiceSchema } from "moleculer";
import { DurableEventsMixin, durableHandler, type DurableEventsMethods } from "../../../../mixins/durable-events";
import SchedulesService from "../../../../services/core/schedules/schedules.service";
import { schedulesRoutes } from "../../../../services/core/schedules/schedules.routes";
import type { SchedulesThis } from "../../../../services/core/schedules/schedules.context";
import type { SchedulePage, SegmentView } from "../../../../services/core/schedules/schedule.types";
import type { ScheduleSegmentStarting } from "../../../../services/core/schedules/schedules.events";
import { sendStartingSoon } from "../../../../services/core/schedules/starting-soon";
import "../../../../services/media/streams/streams.events";
import { startCommunity, type CommunityHarness } from "../../../helpers/community-harness";
import { waitFor } from "../../../helpers/infra";

const producer: ServiceSchema = { name: "media-standin", mixins: [DurableEventsMixin()] };
const starting: ScheduleSegmentStarting[] = [];
const live: string[] = [];
const listener: ServiceSchema = {
  name: "schedule-listener",
  mixins: [DurableEventsMixin()],
  channels: {
    ...durableHandler("schedule.segment.starting", {
      group: "schedule-listener",
      async handler(envelope) {
        starting.push(envelope.payload);
      },
    }),
    ...durableHandler("schedule.segment.live", {
      group: "schedule-listener",
      async handler(envelope) {
        live.push(envelope.payload.occurrenceId);
      },
    }),
  },
};

let h: CommunityHarness;
let svc: SchedulesThis;
let media: Service & DurableEventsMethods;

beforeAll(async () => {
  h = await startCommunity({
    dbPrefix: "arena_sched",
    services: [
      { ...SchedulesService, settings: { ...SchedulesService.settings, runNotices: false } } as ServiceSchema,
      producer,
      listener,
    ],
    routes: [schedulesRoutes],
    checkResponses: true,
  });
  svc = h.service<SchedulesThis>("schedules");
  media = h.service<Service & DurableEventsMethods>("media-standin");
});
afterAll(async () => {
  await h?.stop();
});

const path = (channelId: string, rest = "") => `/channels/${channelId}/schedule${rest}`;
const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;

describe("channel schedules", () => {
  it("only the owner (or an admin) writes; anyone reads", async () => {
    const s = await h.streamer("own");
    const other = await h.actor("oth");
    const admin = await h.actor("adm", ["admin"]);
    const body = { title: "Ranked grind", startAt: new Date(Date.now() + 2 * HOUR).toISOString(), durationMin: 120 };
    expect((await h.anonymous.request("POST", path(s.channelId, "/segments"), body)).status).toBe(401);
    expect((await other.api.request("POST", path(s.channelId, "/segments"), body)).status).toBe(403);
    expect((await s.api.request("POST", path("nope", "/segments"), body)).status).toBe(404);
    const bad = await s.api.request("POST", path(s.channelId, "/segments"), { ...body, timezone: "Mars/Base" });
    expect(bad.status).toBe(400);
    expect((await s.api.request("POST", path(s.channelId, "/segments"), { ...body, durationMin: 0 })).status).toBe(400);
    const created = await s.api.request<SegmentView>("POST", path(s.channelId, "/segments"), body);
    expect(created.status).toBe(201);
    const seg = created.body;
    expect(seg).toMatchObject({ title: "Ranked grind", recurring: false, cancelled: false, timezone: "UTC" });
    const segPath = path(s.channelId, `/segments/${seg.id}`);
    expect((await other.api.request("PATCH", segPath, { title: "Mine now" })).status).toBe(403);
    expect((await other.api.request("DELETE", segPath)).status).toBe(403);
    expect((await admin.api.request("PATCH", segPath, { title: "Edited by staff" })).status).toBe(200);
    // Another channel's segment id does not resolve under this channel.
    const s2 = await h.streamer("two");
    expect((await s2.api.request("PATCH", path(s2.channelId, `/segments/${seg.id}`), { title: "x" })).status).toBe(404);
    const read = await h.anonymous.request<SchedulePage>("GET", path(s.channelId));
    expect(read.status).toBe(200);
    expect(read.body.items.map((i) => i.title)).toEqual(["Edited by staff"]);
    expect((await s.api.request("DELETE", segPath)).status).toBe(200);
    expect((await h.anonymous.request<SchedulePage>("GET", path(s.channelId))).body.items).toEqual([]);
  });

  it("expands weekly segments in order, with cursor pages, cancellations and the iCalendar feed", async () => {
    const s = await h.streamer("cal");
    const base = Date.now() + 3 * HOUR;
    const weekly = (
      await s.api.request<SegmentView>("POST", path(s.channelId, "/segments"), {
        title: "Weekly cup",
        category: "Arena Fighters",
        startAt: new Date(base).toISOString(),
        durationMin: 90,
        recurring: true,
      })
    ).body;
    await s.api.request("POST", path(s.channelId, "/segments"), {
      title: "Special; show, with commas",
      startAt: new Date(base + WEEK + HOUR).toISOString(),
      durationMin: 60,
    });
    const first = await h.anonymous.request<SchedulePage>("GET", `${path(s.channelId)}?limit=3`);
    expect(first.body.items.map((i) => i.title)).toEqual(["Weekly cup", "Weekly cup", "Special; show, with commas"]);
    expect(first.body.nextCursor).toBeTruthy();
    const second = await h.anonymous.request<SchedulePage>(
      "GET",
      `${path(s.channelId)}?limit=3&cursor=${first.body.nextCursor}`,
    );
    expect(second.body.items.map((i) => i.startAt)).toEqual(
      [2, 3, 4].map((k) => new Date(base + k * WEEK).toISOString()),
    );
    expect((await h.anonymous.request("GET", `${path(s.channelId)}?cursor=garbage`)).status).toBe(400);

    // Call off next week's show only.
    const nextWeek = new Date(base + WEEK).toISOString();
    const patched = await s.api.request<SegmentView>("PATCH", path(s.channelId, `/segments/${weekly.id}`), {
      cancelOccurrences: [nextWeek],
    });
    expect(patched.body.cancelledOccurrences).toEqual([nextWeek]);
    const wrongStart = await s.api.request("PATCH", path(s.channelId, `/segments/${weekly.id}`), {
      cancelOccurrences: [new Date(base + WEEK + 60_000).toISOString()],
    });
    expect(wrongStart.status).toBe(400);
    const items = (await h.anonymous.request<SchedulePage>("GET", `${path(s.channelId)}?limit=3`)).body.items;
    expect(items.map((i) => i.cancelled)).toEqual([false, true, false]);

    const ics = await h.responses!.fetch(`${h.base}/api/v1${path(s.channelId, ".ics")}`);
    expect(ics.status).toBe(200);
    expect(ics.headers.get("content-type")).toMatch(/^text\/calendar/);
    const text = await ics.text();
    expect(text.startsWith("BEGIN:VCALENDAR\r\n")).toBe(true);
    expect(text).toContain("SUMMARY:cal");
    expect(text).toContain("Special\\; show\\, with commas");
    expect(text).toContain("CATEGORIES:Arena Fighters");
    expect(text.match(/STATUS:CANCELLED/g)).toHaveLength(1);
    expect(text.match(/BEGIN:VEVENT/g)!.length).toBeGreaterThan(10);
    expect((await fetch(`${h.base}/api/v1${path("nope", ".ics")}`)).status).toBe(404);
  });

  it("links a stream that starts in an occurrence's window, once", async () => {
    const s = await h.streamer("lnk");
    const start = Date.now() + 10 * 60_000;
    await s.api.request("POST", path(s.channelId, "/segments"), {
      title: "Tonight",
      startAt: new Date(start).toISOString(),
      durationMin: 60,
    });
    const started = {
      sessionId: `sess-${s.channelId}`,
      channelId: s.channelId,
      ownerId: s.id,
      title: "Tonight",
      category: null,
      language: "en",
      startedAt: new Date().toISOString(),
    };
    await media.publishDurable("stream.started", started);
    const linked = await waitFor(async () => {
      const [item] = (await h.anonymous.request<SchedulePage>("GET", path(s.channelId))).body.items;
      return item?.liveSessionId ? item : undefined;
    });
    expect(linked.liveSessionId).toBe(started.sessionId);
    await waitFor(() => live.includes(linked.id));
    // Redelivered: nothing new.
    await media.publishDurable("stream.started", started);
    // A stream hours away from any occurrence stays unlinked.
    await media.publishDurable("stream.started", {
      ...started,
      sessionId: `late-${s.channelId}`,
      startedAt: new Date(start + 5 * HOUR).toISOString(),
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(live.filter((id) => id === linked.id)).toHaveLength(1);
    expect(await svc.stores.sessions.findById(`late-${s.channelId}`)).toBeNull();
  });

  it("sends starting soon once per occurrence, skipping cancelled ones", async () => {
    const s = await h.streamer("soon");
    const lead = svc.settings.startingSoonLeadMs;
    const t0 = Date.now() + lead / 2;
    const seg = (
      await s.api.request<SegmentView>("POST", path(s.channelId, "/segments"), {
        title: "Soon",
        startAt: new Date(t0).toISOString(),
        durationMin: 30,
        recurring: true,
      })
    ).body;
    // Second occurrence cancelled.
    await s.api.request("PATCH", path(s.channelId, `/segments/${seg.id}`), {
      cancelOccurrences: [new Date(t0 + WEEK).toISOString()],
    });
    const mine = () => starting.filter((e) => e.segmentId === seg.id);
    // Two passes (two nodes) at the same time: one event.
    await Promise.all([sendStartingSoon(svc), sendStartingSoon(svc)]);
    await waitFor(() => mine().length === 1);
    expect(mine()[0]).toMatchObject({ channelId: s.channelId, title: "Soon", startsAt: new Date(t0).toISOString() });
    // A week later: the cancelled occurrence sends nothing; the one after does.
    await sendStartingSoon(svc, new Date(Date.now() + WEEK));
    await sendStartingSoon(svc, new Date(Date.now() + 2 * WEEK));
    await waitFor(() => mine().length === 2);
    expect(mine()[1]!.startsAt).toBe(new Date(t0 + 2 * WEEK).toISOString());
    const after = (await s.api.request<{ items: SegmentView[] }>("GET", path(s.channelId, "/segments"))).body.items[0];
    expect(after?.nextStartAt).toBe(new Date(t0 + 3 * WEEK).toISOString());
  });
});

describe("the OpenAPI document", () => {
  it("declares the status and body of every schedules answer above (issue 9)", () => {
    expect(h.responses?.violationsOf("schedules.")).toEqual([]);
    expect(h.responses?.unanswered("schedules.")).toEqual([]);
  });
});
