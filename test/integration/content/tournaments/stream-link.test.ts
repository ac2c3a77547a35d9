/**
 * Matches on stream against PostgreSQL, driven by the durable events the
 * streams and videos services publish (here published by a stand-in
 * producer with the real event types; the e2e suite runs the real services
 * with ffmpeg). Covers linking at assignment and at go-live, redelivered
 * events, the end of the session, and chapters written once per VOD.
 */
import type { Context, Service, ServiceSchema } from "moleculer";
import { DurableEventsMixin, type DurableEventsMethods } from "../../../../mixins/durable-events";
import type { MatchView } from "../../../../services/content/tournaments/tournament.types";
import "../../../../services/media/streams/streams.events";
import "../../../../services/media/videos/videos.events";
import { waitFor } from "../../../helpers/infra";
import { ok } from "../../../helpers/tournaments-api";
import { startTournaments, tournamentInput, type Actor, type TournamentsHarness } from "./tournaments-harness";

/** Publishes stream.* and video.published as the media services would. */
const producer: ServiceSchema = { name: "media-standin", mixins: [DurableEventsMixin()] };
/** videos.get stand-in: the chapters route asks the videos service whether the caller may see the video. */
const videosStandIn: ServiceSchema = {
  name: "videos",
  actions: {
    get: {
      handler(ctx: Context<{ id: string }>) {
        if (ctx.params.id === "private-video")
          throw Object.assign(new Error("Video not found"), { code: 404, type: "NOT_FOUND" });
        return { id: ctx.params.id };
      },
    },
  },
};

let h: TournamentsHarness;
let organizer: Actor;
let players: Actor[];
let media: Service & DurableEventsMethods;
let channelId: string;
let otherChannelId: string;

beforeAll(async () => {
  h = await startTournaments({ extraServices: [producer, videosStandIn] });
  media = h.broker.getLocalService("media-standin") as Service & DurableEventsMethods;
  organizer = await h.actor("org", "organizer");
  players = await h.actors("s", 4);
  channelId = ok(await organizer.api.channels.create({ slug: `main${Date.now()}`, title: "Main stage" })).channel.id;
  otherChannelId = ok(await players[0]!.api.channels.create({ slug: `side${Date.now()}`, title: "Side stage" })).channel
    .id;
});
afterAll(async () => {
  await h?.stop();
});

const matchById = async (id: string, matchId: string): Promise<MatchView> =>
  ok(await h.anonymous.bracket(id)).matches.find((m) => m.id === matchId) as MatchView;

describe("matches on stream and in the VOD", () => {
  it("links at go-live and at assignment, survives redelivery, and writes one chapter per match", async () => {
    const t = ok(await organizer.t.create(tournamentInput({ maxEntrants: 4 })));
    ok(await organizer.t.openRegistration(t.id));
    const owner = new Map<string, Actor>();
    for (const p of players) owner.set(ok(await p.t.register(t.id)).id, p);
    ok(await organizer.t.start(t.id));
    const [m1, m2] = ok(await h.anonymous.bracket(t.id)).matches.filter((m) => m.status === "ready") as [
      MatchView,
      MatchView,
    ];
    expect((await organizer.t.assignChannel(t.id, m1.id, "no-such-channel")).status).toBe(404);
    ok(await organizer.t.assignChannel(t.id, m1.id, channelId));
    expect(ok(await h.anonymous.channelMatch(channelId)).match).toBeNull();

    // The channel goes live: m1 (assigned, ready) is now on that session, from its start.
    const startedAt = new Date(Date.now() - 5000).toISOString();
    const started = {
      sessionId: "sess-1",
      channelId,
      ownerId: organizer.id,
      title: "Main",
      category: null,
      language: "en",
      startedAt,
    };
    await media.publishDurable("stream.started", started);
    await waitFor(async () => (await matchById(t.id, m1.id)).live);
    const linked = await matchById(t.id, m1.id);
    expect(linked).toMatchObject({ liveSessionId: "sess-1", live: true, channelId });
    expect(ok(await h.anonymous.channelMatch(channelId)).match?.id).toBe(m1.id);
    // A redelivered start (new envelope, same facts) changes nothing.
    await media.publishDurable("stream.started", started);
    await new Promise((r) => setTimeout(r, 300));
    expect((await matchById(t.id, m1.id)).version).toBe(linked.version);

    // m2 is assigned while the channel is live: linked at once, from now.
    const m2Linked = ok(await organizer.t.assignChannel(t.id, m2.id, channelId));
    expect(m2Linked).toMatchObject({ liveSessionId: "sess-1", live: true });
    // Moving m2 to another channel takes it off this session.
    expect(ok(await organizer.t.assignChannel(t.id, m2.id, otherChannelId))).toMatchObject({
      liveSessionId: null,
      live: false,
    });
    ok(await organizer.t.assignChannel(t.id, m2.id, channelId));

    for (const m of [m1, m2]) {
      const [a, b] = m.sides.map((s) => owner.get(s.entrantId as string)!);
      ok(await a!.t.report(t.id, m.id, 1, 0));
      ok(await b!.t.report(t.id, m.id, 1, 0));
    }
    await media.publishDurable("stream.ended", {
      sessionId: "sess-1",
      channelId,
      ownerId: organizer.id,
      endedAt: new Date().toISOString(),
      durationS: 60,
      peakViewers: 3,
    });
    await waitFor(async () => !(await matchById(t.id, m1.id)).live);
    expect(ok(await h.anonymous.channelMatch(channelId)).match).toBeNull();

    const published = {
      videoId: "vod-1",
      liveSessionId: "sess-1",
      durationS: 60,
      publishedAt: new Date().toISOString(),
      channelId,
      ownerId: organizer.id,
      title: "Main",
      description: "",
      category: null,
      tags: [],
      visibility: "public" as const,
    };
    await media.publishDurable("video.published", published);
    const chapters = await waitFor(async () => {
      const items = ok(await h.anonymous.chapters("vod-1")).items;
      return items.length === 2 ? items : null;
    });
    const c1 = chapters.find((c) => c.matchId === m1.id)!;
    const c2 = chapters.find((c) => c.matchId === m2.id)!;
    // m1 was on air from the session's start; m2 from its (later) assignment; both end when decided.
    expect(c1.startS).toBe(0);
    expect(c2.startS).toBeGreaterThanOrEqual(4.5);
    for (const c of chapters) {
      expect(c.endS).toBeGreaterThan(c.startS);
      expect(c.endS).toBeLessThanOrEqual(60);
      expect(c.title).toMatch(/^Spring Cup: .+ vs .+ \(W1-\d\)$/);
    }
    await media.publishDurable("video.published", published);
    await new Promise((r) => setTimeout(r, 300));
    expect(ok(await h.anonymous.chapters("vod-1")).items).toHaveLength(2);
    expect((await matchById(t.id, m1.id)).videoId).toBe("vod-1");
    // Chapters of a video the caller may not see are not shown either.
    expect((await h.anonymous.chapters("private-video")).status).toBe(404);
  });
});
