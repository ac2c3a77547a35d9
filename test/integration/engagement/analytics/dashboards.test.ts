/**
 * The dashboards over HTTP against PostgreSQL: a live session with viewer
 * samples, chat and follows, a video with views and player heartbeats, read
 * back by the channel's owner (series, summaries, retention curve, CSV), and
 * refused to another creator, to anonymous callers and, for the admin
 * overview, to non-admins. Small groups are not shown; user.deleted removes
 * the account's hashes while its day's key lives.
 */
import { randomUUID } from "node:crypto";
import { emitEvent } from "../../../../lib/contracts";
import { analyticsRoutes } from "../../../../services/engagement/analytics/analytics.routes";
import { MINUTE_MS } from "../../../../services/engagement/analytics/buckets";
import { rollupAll } from "../../../../services/engagement/analytics/rollups";
import { forgetUser } from "../../../../services/engagement/analytics/user-deletion";
import { issuePlayId } from "../../../../lib/views/play-id";
import { waitFor } from "../../../helpers/infra";
import { startAnalytics, type Actor, type AnalyticsHarness } from "./analytics-harness";

let h: AnalyticsHarness;
let owner: Actor;
let other: Actor;
let admin: Actor;
let channelId: string;
const sessionId = `s-${randomUUID()}`;
const videoId = `v-${randomUUID()}`;
const NOW = Date.now();
const START = Math.floor(NOW / MINUTE_MS) * MINUTE_MS - 20 * MINUTE_MS;

type Body = Record<string, unknown> & { series: { time: string[]; columns: Record<string, Array<number | null>> } };
const get = (a: Actor | undefined, path: string) => (a ? a.api : owner.api.as(undefined)).request<Body>("GET", path);

beforeAll(async () => {
  h = await startAnalytics({
    extraRoutes: [analyticsRoutes],
    settings: { minGroupSize: 5, heartbeatMinIntervalS: 30 },
    checkResponses: true,
  });
  owner = await h.actor("own", "creator");
  other = await h.actor("oth", "creator");
  admin = await h.actor("adm", "admin");
  const created = await owner.api.channels.create({ slug: `an${Date.now()}`, title: "Analytics channel" });
  channelId = (created.body as { channel: { id: string } }).channel.id;

  const p = h.producer;
  await p.publishDurable("stream.started", {
    sessionId,
    channelId,
    ownerId: owner.id,
    title: "Speedrun",
    category: null,
    language: "en",
    startedAt: new Date(START).toISOString(),
  });
  for (let i = 0; i < 7; i++)
    await p.publishDurable("channel.followed", {
      userId: `f${i}`,
      channelId,
      followedAt: new Date(START + i * MINUTE_MS).toISOString(),
    });
  await p.publishDurable("stream.ended", {
    sessionId,
    channelId,
    ownerId: owner.id,
    endedAt: new Date(START + 15 * MINUTE_MS).toISOString(),
    durationS: 900,
    peakViewers: 40,
  });
  await p.publishDurable("video.created", {
    videoId,
    channelId,
    ownerId: owner.id,
    title: "Highlights",
    origin: "upload",
    visibility: "public",
    createdAt: new Date(START).toISOString(),
  });
  await p.publishDurable("video.published", {
    videoId,
    channelId,
    ownerId: owner.id,
    title: "Highlights",
    description: "",
    category: null,
    tags: [],
    visibility: "public",
    durationS: 100,
    liveSessionId: null,
    publishedAt: new Date(START).toISOString(),
  });
  await p.relayOutbox();
  // Samples count only inside a live window analytics knows (live-windows.ts): the session first.
  await waitFor(async () => (await h.analytics.stores.streamSessions.findById(sessionId))?.endedAt, {
    what: "session dims",
  });
  // Viewer samples every 10 s for 15 minutes: 20 and 30 viewers in turn (25 on average every minute).
  for (let t = START; t < START + 15 * MINUTE_MS; t += 10_000)
    await emitEvent(h.broker, "stream.viewers.sampled", {
      channelId,
      viewerCount: 20 + 10 * ((t / 10_000) % 2),
      at: new Date(t).toISOString(),
    });
  // 3 chatters (under the minimum group size), 30 messages.
  const messages = Array.from({ length: 30 }, (_, i) => ({
    id: `${sessionId}-m${i}`,
    channelId,
    userId: `chatter-${i % 3}`,
    sentAt: START + i * 20_000,
  }));
  await emitEvent(h.broker, "chat.messages.stored", { messages });
  for (let i = 0; i < 6; i++)
    await emitEvent(h.broker, "video.viewed", {
      viewId: randomUUID(),
      videoId,
      channelId,
      viewerKey: `u:viewer-${i}`,
      viewedAt: new Date(NOW).toISOString(),
    });
  await waitFor(async () => (await h.analytics.stores.videos.findById(videoId))?.durationS === 100, {
    what: "video dims",
  });
});
afterAll(async () => {
  await h?.stop();
});

describe("watch-progress heartbeat", () => {
  // What GET /videos/:id/playback hands a viewer allowed to watch (the videos service's canView decides).
  const playIdFor = (id: string, expiresAt = Math.floor(Date.now() / 1000) + 600) =>
    issuePlayId(id, expiresAt, h.config.media.urlSecret);

  it("refuses a beat whose play id no playback issued for this video (a private video's stranger has none)", async () => {
    const stranger = await h.actor("str");
    const beat = (playId: string) =>
      stranger.api.request("POST", `/videos/${videoId}/watch-progress`, { playId, positionS: 10, watchedS: 10 });
    expect((await beat("made-up-play-id")).status).toBe(403);
    expect((await beat(playIdFor(`other-${randomUUID()}`))).status).toBe(403); // issued for another video
    expect((await beat(issuePlayId(videoId, Math.floor(Date.now() / 1000) + 600, "not-the-secret"))).status).toBe(403);
    expect((await beat(playIdFor(videoId, Math.floor(Date.now() / 1000) - 1))).status).toBe(403); // expired
    expect((await beat(playIdFor(videoId).replace(/.$/, (c) => (c === "A" ? "B" : "A")))).status).toBe(403);
  });

  it("takes one beat per viewer per interval and builds the retention curve from the plays", async () => {
    const viewers = await Promise.all(Array.from({ length: 6 }, (_, i) => h.actor(`vw${i}`)));
    const plays = viewers.map(() => playIdFor(videoId));
    // Viewer i got to (i+1)*15 s of the 100 s video.
    const beats = await Promise.all(
      viewers.map((v, i) =>
        v.api.request("POST", `/videos/${videoId}/watch-progress`, {
          playId: plays[i]!,
          positionS: (i + 1) * 15,
          watchedS: 20,
        }),
      ),
    );
    expect(beats.map((b) => b.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const again = await viewers[0]!.api.request("POST", `/videos/${videoId}/watch-progress`, {
      playId: plays[0]!,
      positionS: 40,
      watchedS: 20,
    });
    expect(again.status).toBe(429);
    const unknownId = `nope-${randomUUID()}`;
    const unknown = await viewers[0]!.api.request("POST", `/videos/${unknownId}/watch-progress`, {
      playId: playIdFor(unknownId),
      positionS: 1,
      watchedS: 1,
    });
    expect(unknown.status).toBe(404);
    const bad = await viewers[1]!.api.request("POST", `/videos/${videoId}/watch-progress`, {
      playId: "x",
      positionS: -1,
      watchedS: 1,
    });
    expect(bad.status).toBe(400);
    await h.analytics.buffer.flush();
    await rollupAll(h.analytics.db);

    const res = await get(owner, `/videos/${videoId}/analytics?granularity=day`);
    expect(res.status).toBe(200);
    expect(res.body.views).toBe(6);
    expect(res.body.watchMinutes).toBe(2); // 6 × 20 s
    expect(res.body.plays).toBe(6);
    const curve = res.body.retention as Array<{ positionS: number; share: number }>;
    expect(curve[0]).toEqual({ positionS: 0, share: 1 });
    expect(curve.find((p) => p.positionS === 50)!.share).toBeCloseTo(3 / 6, 4); // 60, 75, 90 s reached 50 s
    expect(curve.at(-1)).toEqual({ positionS: 100, share: 0 });
    for (let i = 1; i < curve.length; i++) expect(curve[i]!.share).toBeLessThanOrEqual(curve[i - 1]!.share);
  });
});

describe("creator dashboards", () => {
  beforeAll(async () => {
    await h.analytics.buffer.flush();
    await rollupAll(h.analytics.db);
  });

  it("gives the owner a session's viewers, chat and new followers; small chatter groups are hidden", async () => {
    const res = await get(owner, `/streams/${sessionId}/analytics`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      sessionId,
      channelId,
      peakViewers: 30,
      avgViewers: 25,
      minutesWatched: 375,
      chatMessages: 30,
      newFollowers: 7,
    });
    expect(res.body.uniqueChatters).toBeNull();
    expect(res.body.granularity).toBe("minute");
    expect(res.body.series.columns.avgViewers!.slice(0, 15)).toEqual(new Array(15).fill(25));
    expect(res.body.series.columns.uniqueChatters!.every((v) => v === null || v === 0)).toBe(true);
  });

  it("gives the owner the channel's series and summaries, and CSV of the series", async () => {
    const res = await get(owner, `/channels/${channelId}/analytics?granularity=hour`);
    expect(res.status).toBe(200);
    const cols = res.body.series.columns;
    expect(cols.chatMessages!.reduce((s: number, v) => s + (v ?? 0), 0)).toBe(30);
    expect(cols.follows!.reduce((s: number, v) => s + (v ?? 0), 0)).toBe(7);
    expect(cols.peakViewers!.some((v) => v === 30)).toBe(true);
    const summary = res.body.summary as { last30Days: Record<string, number> };
    expect(summary.last30Days).toMatchObject({
      hoursStreamed: 0.25,
      peakViewers: 30,
      chatMessages: 30,
      netFollowers: 7,
      videoViews: 6,
    });
    const csv = await owner.api.request<string>("GET", `/channels/${channelId}/analytics?granularity=hour&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/text\/csv/);
    expect(csv.body.split("\r\n")[0]).toMatch(/^time,avgViewers,peakViewers,/);
  });

  it("refuses another creator (403), anonymous callers (401) and unknown sessions (404); admins may read", async () => {
    for (const path of [
      `/channels/${channelId}/analytics`,
      `/streams/${sessionId}/analytics`,
      `/videos/${videoId}/analytics`,
    ]) {
      expect((await get(other, path)).status).toBe(403);
      expect((await get(undefined, path)).status).toBe(401);
      expect((await get(admin, path)).status).toBe(200);
    }
    expect((await get(owner, `/streams/nope-${randomUUID()}/analytics`)).status).toBe(404);
  });

  it("refuses the channel's moderators and VIPs: the channel roles there are (chat roles), none of them an editor", async () => {
    const moderator = await h.actor("mod", "creator");
    const vip = await h.actor("vip");
    expect((await owner.api.channels.addModerator(channelId, moderator.id)).status).toBe(200);
    expect((await owner.api.channels.addVip(channelId, vip.id)).status).toBe(200);
    for (const path of [
      `/channels/${channelId}/analytics`,
      `/streams/${sessionId}/analytics`,
      `/videos/${videoId}/analytics`,
    ]) {
      expect((await get(moderator, path)).status).toBe(403);
      expect((await get(vip, path)).status).toBe(403);
    }
    expect(
      (await get(owner, `/channels/${channelId}/analytics?granularity=minute&from=2020-01-01T00:00:00Z`)).status,
    ).toBe(400);
  });
});

describe("admin overview", () => {
  it("is for admins only and shows platform totals, series and top lists", async () => {
    expect((await get(owner, "/admin/analytics")).status).toBe(403);
    const res = await get(admin, "/admin/analytics?granularity=hour");
    expect(res.status).toBe(200);
    expect(res.body.totals).toMatchObject({
      chatMessages: 30,
      videoViews: 6,
      follows: 7,
      streamsStarted: 1,
      uploads: 1,
    });
    expect((res.body.topChannels as Array<{ channelId: string }>)[0]!.channelId).toBe(channelId);
    expect((res.body.topVideos as Array<{ videoId: string; views: number }>)[0]).toMatchObject({ videoId, views: 6 });
    expect(Math.max(...res.body.series.columns.peakConcurrentViewers!.map((v) => v ?? 0))).toBe(25); // the channels' per-minute averages added up
  });
});

describe("user.deleted", () => {
  it("removes the account's hashes under the keys still alive, idempotently", async () => {
    const count = async () =>
      Number(
        (
          await h.analytics.db.query<{ n: string }>("SELECT count(*) AS n FROM unique_members WHERE subject_id = $1", [
            channelId,
          ])
        )[0]!.n,
      );
    const before = await count();
    await h.producer.publishDurable("user.deleted", {
      userId: "chatter-1",
      username: "chatter_1",
      deletedBy: "self",
      deletedAt: new Date().toISOString(),
    });
    await h.producer.relayOutbox();
    await waitFor(async () => (await count()) < before, { what: "the chatter's hashes removed" });
    expect(await forgetUser(h.analytics, "chatter-1")).toBe(0);
    expect(await forgetUser(h.analytics, "chatter-2")).toBeGreaterThan(0);
  });
});

describe("the OpenAPI document", () => {
  it("declares the status and body (JSON or CSV) of every analytics answer above (issue 9)", () => {
    expect(h.responses?.violationsOf("analytics.")).toEqual([]);
    expect(h.responses?.unanswered("analytics.")).toEqual([]);
  });
});
