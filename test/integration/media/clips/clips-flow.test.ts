/**
 * Clips and markers against PostgreSQL and real ffmpeg behind the real
 * gateway. The media services are stand-ins speaking the real contracts
 * (streams.liveRecording hands out a growing-recording part made by ffmpeg,
 * videos.clipSource a VOD source with sparse keyframes); the benchmark
 * (`npm run bench:clips`) clips a real RTMP live stream.
 */
import { execFile, execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Context, ServiceSchema } from "moleculer";
import ClipsService from "../../../../services/media/clips/clips.service";
import { clipsRoutes } from "../../../../services/media/clips/clips.routes";
import type { ClipsThis } from "../../../../services/media/clips/clips.context";
import type { ClipPlayback, ClipView, MarkerView } from "../../../../services/media/clips/clip.types";
import { startCommunity, type CommunityActor, type CommunityHarness } from "../../../helpers/community-harness";
import { createTempDir, waitFor, type TempDir } from "../../../helpers/infra";

jest.setTimeout(120_000);

const notFound = (what: string) => Object.assign(new Error(`${what} not found`), { code: 404, type: "NOT_FOUND" });

/** A test pattern with a tone; `gop` frames between keyframes (25 fps). */
function makeMedia(path: string, seconds: number, gop: number): void {
  execFileSync("ffmpeg", [
    "-hide_banner",
    "-loglevel",
    "error",
    "-y",
    "-f",
    "lavfi",
    "-i",
    `testsrc=size=320x180:rate=25:duration=${seconds}`,
    "-f",
    "lavfi",
    "-i",
    `sine=frequency=440:sample_rate=22050:duration=${seconds}`,
    "-c:v",
    "libx264",
    "-preset",
    "ultrafast",
    "-g",
    String(gop),
    "-keyint_min",
    String(gop),
    "-sc_threshold",
    "0",
    "-pix_fmt",
    "yuv420p",
    "-c:a",
    "aac",
    "-shortest",
    path,
  ]);
}

function probeDuration(path: string): Promise<number> {
  return new Promise((resolve, reject) =>
    execFile("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", path], (err, out) =>
      err ? reject(err) : resolve(Number.parseFloat(out)),
    ),
  );
}

const live = new Map<string, { sessionId: string; startedAt: string; recordingKeys: string[] }>();
const videos = new Map<
  string,
  { channelId: string; visibility: string; sourceKey: string; durationS: number; liveSessionId: string | null }
>();

const streamsStandIn: ServiceSchema = {
  name: "streams",
  actions: {
    liveRecording(ctx: Context<{ channelId: string }>) {
      const l = live.get(ctx.params.channelId);
      if (!l) throw notFound("Live session");
      return { ...l, channelId: ctx.params.channelId, ownerId: "x", title: "Live" };
    },
  },
};
const videosStandIn: ServiceSchema = {
  name: "videos",
  actions: {
    clipSource(ctx: Context<{ id: string }>) {
      const v = videos.get(ctx.params.id);
      if (!v) throw notFound("Video");
      return { videoId: ctx.params.id, title: "VOD", ...v };
    },
    get(ctx: Context<{ id: string }>) {
      const v = videos.get(ctx.params.id);
      if (!v) throw notFound("Video");
      return { id: ctx.params.id, ...v };
    },
  },
};

let h: CommunityHarness;
let tmp: TempDir;
let clips: ClipsThis;
let mediaRoot: string;
let streamer: CommunityActor & { channelId: string };
let viewer: CommunityActor;

beforeAll(async () => {
  tmp = createTempDir("arena-clips-");
  h = await startCommunity({
    dbPrefix: "arena_clips",
    services: [
      {
        ...ClipsService,
        settings: { ...ClipsService.settings, jobPollMs: 200, createRateLimit: { max: 12, windowMs: 60_000 } },
      } as ServiceSchema,
      streamsStandIn,
      videosStandIn,
    ],
    routes: [clipsRoutes],
    env: { DATA_DIR: tmp.path, STORAGE_DRIVER: "local" },
    checkResponses: true,
  });
  clips = h.service<ClipsThis>("clips");
  mediaRoot = join(h.config.dataDir, "media");
  streamer = await h.streamer("str");
  viewer = await h.actor("view");
  // A live recording part: 2 s GOPs (the encoder's), 20 s so far.
  const sessionId = `sess-${streamer.channelId}`;
  mkdirSync(join(mediaRoot, "recordings", sessionId), { recursive: true });
  makeMedia(join(mediaRoot, "recordings", sessionId, "part-0001.ts"), 20, 50);
  live.set(streamer.channelId, {
    sessionId,
    startedAt: new Date(Date.now() - 20_000).toISOString(),
    recordingKeys: [`recordings/${sessionId}/part-0001.ts`],
  });
  // A VOD source with a keyframe every 8 s.
  mkdirSync(join(mediaRoot, "uploads", "vod-1"), { recursive: true });
  makeMedia(join(mediaRoot, "uploads", "vod-1", "source.mp4"), 20, 200);
  videos.set("vod-1", {
    channelId: streamer.channelId,
    visibility: "public",
    sourceKey: "uploads/vod-1/source.mp4",
    durationS: 20,
    liveSessionId: sessionId,
  });
  videos.set("vod-private", { ...videos.get("vod-1")!, visibility: "private" });
});
afterAll(async () => {
  await h?.stop();
  tmp?.remove();
});

async function ready(actor: CommunityActor, id: string): Promise<ClipView> {
  return waitFor(
    async () => {
      const c = (await actor.api.request<ClipView>("GET", `/clips/${id}`)).body;
      if (c.status === "failed") throw new Error(`clip failed: ${c.failureReason}`);
      return c.status === "ready" ? c : undefined;
    },
    { timeoutMs: 60_000, what: `clip ${id}` },
  );
}

describe("clips", () => {
  it("cuts the last seconds of a live stream by stream copy, and counts views once per viewer", async () => {
    const res = await viewer.api.request<ClipView>("POST", "/clips", {
      channelId: streamer.channelId,
      durationS: 8,
      title: "What a play",
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe(`/api/v1/clips/${res.body.id}`);
    expect(res.body).toMatchObject({ status: "queued", sourceKind: "live", ownerId: viewer.id });
    // Unfinished clips are the clipper's business only.
    const clip = await ready(viewer, res.body.id);
    expect(clip.method).toBe("copy");
    const file = join(mediaRoot, "clips", clip.id, "clip.mp4");
    const seconds = await probeDuration(file);
    expect(Math.abs(seconds - 8)).toBeLessThan(1.5);
    // The clip sits at the live edge: it ends where the recording ended.
    expect(clip.startS! + clip.durationS).toBeGreaterThan(20 - 2.5);
    expect(clip.thumbnailUrl).toContain(`/media/clips/${clip.id}/thumb.jpg?`);

    const play = await h.anonymous.request<ClipPlayback>("GET", `/clips/${clip.id}/playback`, undefined, {
      headers: { "x-forwarded-for": "203.0.113.9" },
    });
    expect(play.status).toBe(200);
    expect(play.body.url).toContain(`/media/clips/${clip.id}/clip.mp4?`);
    const first = await viewer.api.request<ClipPlayback>("GET", `/clips/${clip.id}/playback`);
    const again = await viewer.api.request<ClipPlayback>("GET", `/clips/${clip.id}/playback`);
    expect(first.body.viewCounted).toBe(true);
    expect(again.body).toMatchObject({ viewCounted: false, viewCount: first.body.viewCount });
    const listed = await h.anonymous.request<{ items: ClipView[] }>("GET", `/clips?channelId=${streamer.channelId}`);
    expect(listed.body.items.map((c) => c.id)).toContain(clip.id);
  });

  it("re-encodes a VOD clip whose start is far from a keyframe, copies one that starts on it", async () => {
    const off = await viewer.api.request<ClipView>("POST", "/clips", {
      videoId: "vod-1",
      startS: 3.3,
      durationS: 5,
      title: "Mid-GOP",
    });
    const on = await viewer.api.request<ClipView>("POST", "/clips", {
      videoId: "vod-1",
      startS: 8,
      durationS: 5,
      title: "On a keyframe",
    });
    const [a, b] = await Promise.all([ready(viewer, off.body.id), ready(viewer, on.body.id)]);
    expect(a).toMatchObject({ method: "reencode", sourceKind: "vod", videoId: "vod-1", channelId: streamer.channelId });
    expect(a.startS).toBeCloseTo(3.3, 1);
    expect(b.method).toBe("copy");
    for (const c of [a, b])
      expect(Math.abs((await probeDuration(join(mediaRoot, "clips", c.id, "clip.mp4"))) - 5)).toBeLessThan(1);
  });

  it("refuses bad requests and unclippable sources", async () => {
    const post = (actor: CommunityActor | null, body: Record<string, unknown>) =>
      (actor?.api ?? h.anonymous).request("POST", "/clips", { title: "x", durationS: 10, ...body });
    expect((await post(null, { channelId: streamer.channelId })).status).toBe(401);
    expect((await post(viewer, { channelId: streamer.channelId, videoId: "vod-1" })).status).toBe(400);
    expect((await post(viewer, {})).status).toBe(400);
    expect((await post(viewer, { channelId: streamer.channelId, durationS: 4 })).status).toBe(400);
    expect((await post(viewer, { channelId: streamer.channelId, durationS: 61 })).status).toBe(400);
    expect((await post(viewer, { videoId: "vod-1", startS: 15 })).status).toBe(400);
    expect((await post(viewer, { videoId: "vod-private" })).status).toBe(403);
    expect((await post(viewer, { videoId: "nope" })).status).toBe(404);
    const offline = await h.streamer("off");
    expect((await post(viewer, { channelId: offline.channelId })).status).toBe(409);
  });

  it("lets the clipper and the channel's staff delete a clip, nobody else", async () => {
    const mod = await h.actor("mod");
    expect((await streamer.api.request("PUT", `/channels/${streamer.channelId}/moderators/${mod.id}`)).status).toBe(
      200,
    );
    const make = async () =>
      ready(
        viewer,
        (
          await viewer.api.request<ClipView>("POST", "/clips", {
            videoId: "vod-1",
            startS: 0,
            durationS: 5,
            title: "Deletable",
          })
        ).body.id,
      );
    const [c1, c2] = await Promise.all([make(), make()]);
    const other = await h.actor("other");
    expect((await other.api.request("DELETE", `/clips/${c1.id}`)).status).toBe(403);
    expect((await h.anonymous.request("DELETE", `/clips/${c1.id}`)).status).toBe(401);
    expect((await mod.api.request("DELETE", `/clips/${c1.id}`)).status).toBe(200);
    expect((await viewer.api.request("DELETE", `/clips/${c2.id}`)).status).toBe(200);
    expect((await h.anonymous.request("GET", `/clips/${c1.id}`)).status).toBe(404);
    expect(await clips.storage.head(`clips/${c1.id}/clip.mp4`)).toBeUndefined();
  });

  it("rate-limits clip requests per user", async () => {
    const eager = await h.actor("eager");
    const offline = await h.streamer("quiet");
    const statuses: number[] = [];
    for (let i = 0; i < 13; i++)
      statuses.push(
        (await eager.api.request("POST", "/clips", { channelId: offline.channelId, durationS: 10, title: "x" })).status,
      );
    expect(statuses.slice(0, 12).every((s) => s === 409)).toBe(true);
    expect(statuses[12]).toBe(429);
  });
});

describe("stream markers", () => {
  it("the broadcaster and moderators mark the live stream; the markers are chapters of the VOD", async () => {
    const path = `/channels/${streamer.channelId}/markers`;
    expect((await viewer.api.request("POST", path, { description: "mine" })).status).toBe(403);
    const m1 = await streamer.api.request<MarkerView>("POST", path, { description: "Round 1 starts" });
    expect(m1.status).toBe(201);
    expect(m1.body.offsetS).toBeGreaterThanOrEqual(19);
    const m2 = await streamer.api.request<MarkerView>("POST", path, {});
    expect(m2.status).toBe(201);
    const offline = await h.streamer("nomark");
    expect((await offline.api.request("POST", `/channels/${offline.channelId}/markers`, {})).status).toBe(409);
    const listed = await streamer.api.request<{ items: MarkerView[] }>("GET", path);
    expect(listed.body.items.map((m) => m.id)).toEqual([m2.body.id, m1.body.id]);
    expect((await viewer.api.request("GET", path)).status).toBe(403);

    // The session's recording became a 2-minute VOD: its markers are chapters of it.
    videos.set("vod-rec", { ...videos.get("vod-1")!, durationS: 120 });
    const chapters = await h.broker.call<{ items: { title: string; startS: number; endS: number }[] }, unknown>(
      "clips.videoMarkers",
      { videoId: "vod-rec" },
    );
    expect(chapters.items.map((c) => c.title)).toEqual(["Round 1 starts", "Marker 2"]);
    expect(chapters.items[0]!.endS).toBe(chapters.items[1]!.startS);
    expect(chapters.items[1]!.endS).toBe(120);

    expect((await viewer.api.request("DELETE", `${path}/${m1.body.id}`)).status).toBe(403);
    expect((await streamer.api.request("DELETE", `${path}/${m1.body.id}`)).status).toBe(200);
    expect((await streamer.api.request("DELETE", `${path}/${m1.body.id}`)).status).toBe(404);
  });
});

describe("the OpenAPI document", () => {
  it("declares the status and body of every clips answer above (issue 9)", async () => {
    expect((await viewer.api.request("GET", `/clips?channelId=${streamer.channelId}`)).status).toBe(200);
    expect(h.responses?.violationsOf("clips.")).toEqual([]);
    expect(h.responses?.unanswered("clips.")).toEqual([]);
  });
});
