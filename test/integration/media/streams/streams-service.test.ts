import { existsSync } from "node:fs";
import { join } from "node:path";
import type { CursorPage } from "../../../../lib/pagination";
import { ok } from "../../../helpers/api-client";
import { waitFor } from "../../../helpers/infra";
import { probeMedia } from "../../../../lib/media/ffprobe";
import type { IngestHealthSample } from "../../../../lib/media/ingest-health";
import { signMediaGrant } from "../../../../lib/media/signed-url";
import type {
  ChannelLiveStatus,
  PublicSession,
  StreamHealthView,
} from "../../../../services/media/streams/stream-sessions";
import type { TestUser } from "../../core/core-harness";
import { pushTestPattern, type RtmpPush } from "./rtmp-push";
import { startStreamsWithChannel, type StreamsHarness } from "./streams-harness";

jest.setTimeout(90000);

/**
 * The streams service in a broker with the real channels/identity/users
 * services, the real gateway and delivery, PostgreSQL, and ffmpeg pushing a
 * test pattern over RTMP.
 */
describe("streams service: ingest-driven live sessions (real RTMP, ffmpeg, Postgres, gateway)", () => {
  let h: StreamsHarness;
  let alice: TestUser;
  let bob: TestUser;
  let channelId: string;
  let streamKey: string;
  const pushes: RtmpPush[] = [];

  const statusOf = async (): Promise<ChannelLiveStatus> =>
    ok(await bob.api.request<ChannelLiveStatus>("GET", `/streams/channels/${channelId}`));
  const typesOf = (sessionId: string) =>
    h.events.filter((e) => (e.payload as { sessionId?: string }).sessionId === sessionId).map((e) => e.type);
  /** The signed URL as issued, pointed at the test gateway's port. */
  const onGateway = (url: string) => {
    const parsed = new URL(url);
    return `${h.base}${parsed.pathname}${parsed.search}`;
  };

  beforeAll(async () => {
    ({ h, alice, bob, channelId, streamKey } = await startStreamsWithChannel());
  });

  afterAll(async () => {
    await Promise.all(pushes.map((p) => p.stop()));
    await h?.stop();
  });

  it("refuses a bad key at ingest and creates nothing", async () => {
    const push = pushTestPattern(`${h.rtmpUrl()}/live_${"x".repeat(43)}`, { seconds: 5, audio: false });
    pushes.push(push);
    expect(await push.exited).not.toBe(0);
    const live = ok(await bob.api.request<CursorPage<PublicSession>>("GET", "/streams/live"));
    expect(live).toEqual({ items: [], nextCursor: null });
    expect((await statusOf()).live).toBe(false);
    expect(h.events).toHaveLength(0);
    expect(existsSync(join(h.config.dataDir, "media", "live"))).toBe(false);
  });

  it("goes live on a valid key, serves signed HLS, keeps health and peak, and hands the recording to VOD when it ends", async () => {
    const push = pushTestPattern(`${h.rtmpUrl()}/${streamKey}`, { seconds: 120 });
    pushes.push(push);

    const status = await waitFor(
      async () => {
        const s = await statusOf();
        return s.live ? s : undefined;
      },
      { what: "channel live", timeoutMs: 20000 },
    );
    const sessionId = status.session?.id as string;
    expect(status.session).toMatchObject({ channelId, title: "Alice plays", category: "fps", status: "live" });

    // Followers' notification = the durable stream.started; channels consumed it too.
    await waitFor(() => typesOf(sessionId).includes("stream.started"), { what: "stream.started" });
    expect(h.events.find((e) => e.type === "stream.started")?.payload).toMatchObject({
      sessionId,
      channelId,
      ownerId: alice.id,
      title: "Alice plays",
      category: "fps",
    });
    await waitFor(async () => ok(await bob.api.channels.get(channelId)).isLive, { what: "channel isLive" });

    // Listing: filter and sort.
    const listed = ok(
      await bob.api.request<CursorPage<PublicSession>>("GET", "/streams/live?category=fps&sort=viewers"),
    );
    expect(listed.items.map((s) => s.id)).toEqual([sessionId]);
    expect(ok(await bob.api.request<CursorPage<PublicSession>>("GET", "/streams/live?category=moba")).items).toEqual(
      [],
    );

    // Playback through the gateway with the signed URL; ffprobe follows master → variant → segments.
    const playback = onGateway(status.playbackUrl as string);
    await waitFor(
      async () => {
        const res = await fetch(playback.replace("master.m3u8", "144p/index.m3u8"));
        return res.status === 200 && (await res.text()).includes(".ts");
      },
      { what: "rendition playlist with segments", timeoutMs: 30000, intervalMs: 250 },
    );
    const master = await fetch(playback);
    expect(master.status).toBe(200);
    expect(master.headers.get("content-type")).toContain("application/vnd.apple.mpegurl");
    const masterText = await master.text();
    expect(masterText).toMatch(/source\/index\.m3u8\?p=/);
    expect(masterText).toMatch(/144p\/index\.m3u8\?p=/);
    const probe = await probeMedia("ffprobe", playback.replace("master.m3u8", "144p/index.m3u8"));
    expect(probe.streams.find((s) => s.codecType === "video")?.height).toBe(144);

    // Unsigned, expired and wrong-path URLs are refused.
    const path = new URL(playback).pathname;
    expect((await fetch(`${h.base}${path}`)).status).toBe(403);
    const expired = signMediaGrant(
      { prefix: `/media/live/${sessionId}/`, expiresAt: Math.floor(Date.now() / 1000) - 5 },
      h.config.media.urlSecret,
    );
    expect((await fetch(`${h.base}${path}?${expired}`)).status).toBe(403);
    const otherPrefix = signMediaGrant(
      { prefix: "/media/live/another-session/", expiresAt: Math.floor(Date.now() / 1000) + 60 },
      h.config.media.urlSecret,
    );
    expect((await fetch(`${h.base}${path}?${otherPrefix}`)).status).toBe(403);
    const forged = new URL(playback);
    forged.searchParams.set("exp", String(Number(forged.searchParams.get("exp")) + 3600));
    expect((await fetch(forged.toString())).status).toBe(403);

    // Health: owner only.
    const health = await waitFor(
      async () => {
        const view = ok(await alice.api.request<StreamHealthView>("GET", `/streams/channels/${channelId}/health`));
        return view.latest && view.latest.fps > 0 ? view : undefined;
      },
      { what: "health sample", timeoutMs: 15000 },
    );
    expect((health.latest as IngestHealthSample).bitrateKbps).toBeGreaterThan(0);
    expect(health.samples.length).toBeGreaterThan(0);
    expect((await bob.api.request("GET", `/streams/channels/${channelId}/health`)).status).toBe(403);
    expect((await h.api.request("GET", `/streams/channels/${channelId}/health`)).status).toBe(401);

    // Title/category while live: owner only, published as stream.updated.
    expect((await bob.api.request("PATCH", `/streams/channels/${channelId}`, { title: "hijack" })).status).toBe(403);
    expect((await alice.api.request("PATCH", `/streams/channels/${channelId}`, { title: "" })).status).toBe(400);
    const updated = ok(
      await alice.api.request<PublicSession>("PATCH", `/streams/channels/${channelId}`, {
        title: "Ranked grind",
        category: "moba",
      }),
    );
    expect(updated).toMatchObject({ title: "Ranked grind", category: "moba" });
    await waitFor(() => typesOf(sessionId).includes("stream.updated"), { what: "stream.updated" });

    // Viewer samples from the realtime gateway keep the peak.
    const t0 = Date.now();
    h.broker.broadcast("stream.viewers.sampled", { channelId, viewerCount: 7, at: new Date(t0).toISOString() });
    h.broker.broadcast("stream.viewers.sampled", { channelId, viewerCount: 3, at: new Date(t0 + 1000).toISOString() });
    // A late, older sample neither changes the count nor the peak.
    h.broker.broadcast("stream.viewers.sampled", { channelId, viewerCount: 5, at: new Date(t0 - 1000).toISOString() });
    await waitFor(async () => (await statusOf()).session?.viewerCount === 3, { what: "viewer count" });
    h.broker.broadcast("stream.viewers.sampled", { channelId, viewerCount: 2, at: "not a date" });

    // Stop pushing (after at least 5 s of video): after the grace period the session ends and the recording is handed over.
    await waitFor(() => Date.now() - Date.parse(status.session?.startedAt as string) > 5000, {
      what: "5 s of pushing",
      timeoutMs: 20000,
      intervalMs: 100,
    });
    await push.stop();
    await waitFor(() => typesOf(sessionId).includes("video.source.ready"), {
      what: "video.source.ready",
      timeoutMs: 30000,
    });
    const ended = h.events.find((e) => e.type === "stream.ended")?.payload as {
      durationS: number;
      peakViewers: number;
    };
    expect(ended.peakViewers).toBe(7);
    expect(ended.durationS).toBeGreaterThanOrEqual(4);
    const ready = h.events.find((e) => e.type === "video.source.ready")?.payload as {
      storageKey: string;
      title: string;
      durationS: number;
    };
    expect(ready).toMatchObject({ storageKey: `recordings/${sessionId}/source.mp4`, title: "Ranked grind" });
    const recorded = await probeMedia("ffprobe", join(h.config.dataDir, "media", ready.storageKey));
    expect(recorded.durationS).toBeGreaterThan(3);
    expect(typesOf(sessionId)).toEqual(["stream.started", "stream.updated", "stream.ended", "video.source.ready"]);
    expect((await statusOf()).live).toBe(false);
    await waitFor(async () => !ok(await bob.api.channels.get(channelId)).isLive, { what: "channel offline" });
  });
  it("continues the same session when the broadcaster reconnects within the grace period", async () => {
    const first = pushTestPattern(`${h.rtmpUrl()}/${streamKey}`, { seconds: 120 });
    pushes.push(first);
    const status = await waitFor(
      async () => {
        const s = await statusOf();
        return s.live ? s : undefined;
      },
      { what: "live again", timeoutMs: 20000 },
    );
    const sessionId = status.session?.id as string;
    const liveDir = join(h.config.dataDir, "media", "live", sessionId);
    await waitFor(() => existsSync(join(liveDir, "source", "seg_00001.ts")), {
      what: "first publish segments",
      timeoutMs: 20000,
      intervalMs: 200,
    });
    await first.stop();
    await waitFor(async () => (await statusOf()).session?.status === "reconnecting", {
      what: "reconnecting",
      timeoutMs: 5000,
      intervalMs: 100,
    });

    const second = pushTestPattern(`${h.rtmpUrl()}/${streamKey}`, { seconds: 120 });
    pushes.push(second);
    await waitFor(async () => (await statusOf()).session?.status === "live", {
      what: "resumed",
      timeoutMs: 5000,
      intervalMs: 100,
    });
    expect((await statusOf()).session?.id).toBe(sessionId);
    // The playlists continue across the gap with a discontinuity marker.
    const playback = onGateway((await statusOf()).playbackUrl as string);
    await waitFor(
      async () =>
        (await (await fetch(playback.replace("master.m3u8", "source/index.m3u8"))).text()).includes(
          "#EXT-X-DISCONTINUITY",
        ),
      {
        what: "discontinuity in the continued playlist",
        timeoutMs: 20000,
        intervalMs: 250,
      },
    );
    await second.stop();
    await waitFor(() => typesOf(sessionId).includes("video.source.ready"), {
      what: "handover after the reconnect",
      timeoutMs: 30000,
    });
    expect(typesOf(sessionId)).toEqual(["stream.started", "stream.ended", "video.source.ready"]);
    const ready = h.events.find(
      (e) => e.type === "video.source.ready" && (e.payload as { sessionId: string }).sessionId === sessionId,
    )?.payload as { storageKey: string };
    const recorded = await probeMedia("ffprobe", join(h.config.dataDir, "media", ready.storageKey));
    expect(recorded.streams.map((st) => st.codecType).sort()).toEqual(["audio", "video"]);
  });
});
