/**
 * A creator uploads a clip made by ffmpeg; it is transcoded for real into a
 * multi-rendition HLS VOD, played with ffprobe through the signed URL the
 * API hands out (delivery service behind the real gateway), and viewers
 * watch and comment on it. Real Postgres, real HTTP.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { createTempDir, waitFor, type TempDir } from "../../../helpers/infra";
import { makeClip } from "./helpers/clip";
import { anonymous, createChannel, newActor, type Actor } from "./helpers/users";
import { ok } from "./helpers/videos-api";
import { startVideos, type VideosHarness } from "./helpers/videos-harness";
import type { ServiceSchema } from "moleculer";
import { durableHandler } from "../../../../mixins/durable-events";
import type { VideoView } from "../../../../services/media/videos/video.types";
import { verifyPlayId } from "../../../../lib/views/play-id";
import { pruneExpiredViews } from "../../../../services/media/videos/playback-actions";

const run = promisify(execFile);

let h: VideosHarness;
let work: TempDir;
let clip: Buffer;
let creator: Actor;
let viewer: Actor;
let channelId: string;
let readyId: string;

/** Every durable event the videos service publishes, as a consumer in another service would see it. */
const seen: Array<{ type: string; payload: Record<string, unknown> }> = [];
const eventRecorder: ServiceSchema = {
  name: "vodEventRecorder",
  channels: {
    ...(["video.created", "video.published", "video.updated", "video.deleted", "comment.created"] as const).reduce(
      (all, type) => ({
        ...all,
        ...durableHandler(type, {
          group: "vod-recorder",
          async handler(envelope) {
            seen.push({ type, payload: envelope.payload as unknown as Record<string, unknown> });
          },
        }),
      }),
      {},
    ),
  },
};

beforeAll(async () => {
  work = createTempDir("arena-vodflow-");
  clip = readFileSync(makeClip(work.path));
  h = await startVideos({
    videoSettings: { viewWindowMs: 1500, commentRateLimit: { max: 4, windowMs: 60_000 } },
    extraServices: [eventRecorder],
  });
  [creator, viewer] = await Promise.all([newActor(h.base, "cre"), newActor(h.base, "vie")]);
  channelId = await createChannel(creator);
});

afterAll(async () => {
  await h?.stop();
  work?.remove();
});

async function uploadAndWait(video: VideoView): Promise<VideoView> {
  const uploaded = ok(await creator.videos.upload(video.id, clip, "video/mp4"));
  expect(uploaded.status).toBe("processing");
  return waitFor(
    async () => {
      const current = ok(await creator.videos.get(video.id));
      if (current.status === "failed") throw new Error(`processing failed: ${current.failureReason}`);
      return current.status === "ready" ? current : null;
    },
    { timeoutMs: 60000, intervalMs: 200, what: "video ready" },
  );
}

describe("upload → transcode → signed playback", () => {
  it("turns an uploaded clip into a playable multi-rendition VOD", async () => {
    const video = ok(
      await creator.videos.create({
        channelId,
        title: "  First clip ",
        description: "gg",
        category: "fps",
        tags: ["Clutch", "clutch"],
      }),
      [201, 200],
    );
    expect(video).toMatchObject({
      status: "awaiting_upload",
      title: "First clip",
      tags: ["clutch"],
      visibility: "public",
      origin: "upload",
    });
    // Not playable, not visible to others before it is ready.
    expect((await viewer.videos.get(video.id)).status).toBe(404);

    const ready = await uploadAndWait(video);
    expect(ready.renditions.map((r) => r.name)).toEqual(["240p", "144p"]);
    expect(ready.durationS).toBeGreaterThan(1.5);
    expect(ready.publishedAt).not.toBeNull();

    const play = ok(await viewer.videos.playback(video.id));
    // The play id the player's watch-progress beats carry: issued for this video only (analytics checks it).
    expect(verifyPlayId(play.playId, video.id, h.config.media.urlSecret)).toBe("ok");
    expect(verifyPlayId(play.playId, `${video.id}x`, h.config.media.urlSecret)).toBe("invalid");
    expect(play.hlsUrl.startsWith(`${h.config.publicUrl}/media/vod/${video.id}/master.m3u8?`)).toBe(true);
    // PUBLIC_URL points at the default port; the test gateway listens elsewhere.
    const hlsUrl = play.hlsUrl.replace(h.config.publicUrl, h.base);
    const { stdout } = await run("ffprobe", [
      "-v",
      "error",
      "-show_entries",
      "stream=codec_type,height",
      "-of",
      "json",
      hlsUrl,
    ]);
    const streams = (JSON.parse(stdout) as { streams: { codec_type: string; height?: number }[] }).streams;
    expect(
      streams
        .filter((s) => s.codec_type === "video")
        .map((s) => s.height)
        .sort(),
    ).toEqual([144, 240]);
    expect(streams.some((s) => s.codec_type === "audio")).toBe(true);

    // The grant is the only key: without it, or for another video's tree, delivery refuses.
    const bare = await fetch(hlsUrl.split("?")[0] as string);
    expect(bare.status).toBe(403);
    const thumb = await fetch((play.thumbnailUrl as string).replace(h.config.publicUrl, h.base));
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get("content-type")).toContain("image/jpeg");

    const listed = ok(await anonymous(h.base).videos.list({ channelId }));
    expect(listed.items.map((v) => v.id)).toContain(video.id);
    // Listings carry a thumbnail URL good for the thumbnail only, not for the stream.
    const thumbnailUrl = (listed.items.find((v) => v.id === video.id)?.thumbnailUrl ?? "").replace(
      h.config.publicUrl,
      h.base,
    );
    const listedThumb = await fetch(thumbnailUrl);
    expect(listedThumb.status).toBe(200);
    expect(listedThumb.headers.get("content-type")).toContain("image/jpeg");
    const query = new URL(thumbnailUrl).search;
    expect((await fetch(`${h.base}/media/vod/${video.id}/master.m3u8${query}`)).status).toBe(403);
    readyId = video.id;

    await waitFor(() => seen.some((e) => e.type === "video.published" && e.payload.videoId === video.id), {
      what: "video.published",
    });
    const created = seen.find((e) => e.type === "video.created" && e.payload.videoId === video.id);
    expect(created?.payload).toMatchObject({ channelId, ownerId: creator.id, origin: "upload" });
    expect(seen.find((e) => e.type === "video.published" && e.payload.videoId === video.id)?.payload).toMatchObject({
      title: "First clip",
      category: "fps",
      tags: ["clutch"],
    });
  });
});

describe("private and unlisted", () => {
  it("hides private videos from everyone but the owner, and keeps unlisted ones out of listings", async () => {
    const video = ok(await creator.videos.create({ channelId, title: "Secret", visibility: "private" }));
    await uploadAndWait(video);
    const anon = anonymous(h.base);
    expect((await viewer.videos.get(video.id)).status).toBe(404);
    expect((await anon.videos.get(video.id)).status).toBe(404);
    expect((await viewer.videos.playback(video.id)).status).toBe(404);
    expect((await viewer.videos.comments(video.id)).status).toBe(404);
    expect((await viewer.videos.comment(video.id, "can I?")).status).toBe(404);
    expect(ok(await creator.videos.playback(video.id)).hlsUrl).toContain(`/media/vod/${video.id}/`);
    expect(ok(await anon.videos.list({ channelId })).items.map((v) => v.id)).not.toContain(video.id);
    expect(ok(await creator.videos.list({ channelId, visibility: "private" })).items.map((v) => v.id)).toEqual([
      video.id,
    ]);
    expect((await viewer.videos.list({ channelId, visibility: "private" })).status).toBe(403);

    ok(await creator.videos.update(video.id, { visibility: "unlisted" }));
    await waitFor(() => seen.some((e) => e.type === "video.updated" && e.payload.videoId === video.id), {
      what: "video.updated",
    });
    expect(seen.find((e) => e.type === "video.updated" && e.payload.videoId === video.id)?.payload).toMatchObject({
      visibility: "unlisted",
      status: "ready",
      title: "Secret",
    });
    expect(ok(await anon.videos.get(video.id)).visibility).toBe("unlisted");
    expect(ok(await anon.videos.playback(video.id)).hlsUrl).toContain(video.id);
    expect(ok(await anon.videos.list({ channelId })).items.map((v) => v.id)).not.toContain(video.id);
    // Only the owner learns why processing failed or what is pending.
    expect(ok(await creator.videos.get(video.id))).toHaveProperty("failureReason", null);
    expect(ok(await anon.videos.get(video.id))).not.toHaveProperty("failureReason");
  });

  it("lists with filters and paging", async () => {
    const anon = anonymous(h.base);
    const page = ok(await anon.videos.list({ channelId, category: "fps", limit: 1 }));
    expect(page).toEqual({ items: [expect.objectContaining({ id: readyId })], nextCursor: null });
    expect(ok(await anon.videos.list({ channelId, tag: "clutch" })).items.map((v) => v.id)).toEqual([readyId]);
    expect(ok(await anon.videos.list({ channelId, tag: "nope" }))).toEqual({ items: [], nextCursor: null });
    expect((await anon.videos.list({ limit: 1000 })).status).toBe(400);
    expect((await anon.videos.list({ cursor: "not-a-cursor" })).status).toBe(400);
    expect((await anon.videos.list({ sort: "random" })).status).toBe(400);
  });

  it("lets the owner of a channel with no videos yet filter by status (an empty page, not 403)", async () => {
    const newcomer = await newActor(h.base, "new");
    const emptyChannel = await createChannel(newcomer);
    expect(ok(await newcomer.videos.list({ channelId: emptyChannel, status: "processing" }))).toMatchObject({
      items: [],
      nextCursor: null,
    });
    expect((await viewer.videos.list({ channelId: emptyChannel, status: "processing" })).status).toBe(403);
    expect((await anonymous(h.base).videos.list({ channelId: emptyChannel, visibility: "private" })).status).toBe(403);
  });
});

describe("views", () => {
  it("counts one view per viewer per window, anonymous viewers by address", async () => {
    // A viewer who has not watched yet (the others did, moments ago).
    const fresh = await newActor(h.base, "fre");
    const first = ok(await fresh.videos.playback(readyId));
    expect(first.viewCounted).toBe(true);
    const again = ok(await fresh.videos.playback(readyId));
    expect(again.viewCounted).toBe(false);
    expect(again.viewCount).toBe(first.viewCount);
    const anon = ok(await anonymous(h.base).videos.playback(readyId));
    expect(anon.viewCounted).toBe(true);
    expect(ok(await anonymous(h.base).videos.playback(readyId)).viewCounted).toBe(false);
    // Concurrent repeats from one new viewer still count once.
    const other = await newActor(h.base, "bur");
    const burst = await Promise.all([1, 2, 3, 4].map(() => other.videos.playback(readyId)));
    expect(burst.map((r) => ok(r).viewCounted).filter(Boolean)).toHaveLength(1);
    // After the window, the same viewer counts again.
    const later = await waitFor(
      async () => {
        const res = ok(await fresh.videos.playback(readyId));
        return res.viewCounted ? res : null;
      },
      { timeoutMs: 10000, intervalMs: 250, what: "view window to pass" },
    );
    expect(later.viewCount).toBe(ok(await creator.videos.get(readyId)).viewCount);
    expect(later.viewCount).toBeGreaterThanOrEqual(4);

    // Records past their window are pruned (workers do it in their sweep); live ones stay.
    const record = await h.videos.stores.views.findOne({ videoId: readyId, viewerKey: `u:${fresh.id}` });
    const lastCounted = new Date(record?.lastCountedAt ?? 0).getTime();
    await pruneExpiredViews(h.videos, new Date(lastCounted + 1499));
    expect(await h.videos.stores.views.count({ videoId: readyId, viewerKey: `u:${fresh.id}` })).toBe(1);
    await pruneExpiredViews(h.videos, new Date(Date.now() + 60_000));
    expect(await h.videos.stores.views.count({ videoId: readyId })).toBe(0);
    // The viewer's next view still counts once.
    expect(ok(await fresh.videos.playback(readyId)).viewCounted).toBe(true);
    expect(ok(await fresh.videos.playback(readyId)).viewCounted).toBe(false);
  });
});

describe("a published video's source", () => {
  it("cannot be replaced: re-uploading is refused and the video stays ready, playable and unchanged", async () => {
    const before = ok(await creator.videos.get(readyId));
    const sources = await h.videos.storage.list(`uploads/${readyId}/`);
    const outputs = await h.videos.storage.list(`vod/${readyId}/`);
    const again = await creator.videos.upload(readyId, clip, "video/mp4");
    expect(again.status).toBe(409);
    expect(JSON.stringify(again.body)).toContain("published");
    const after = ok(await viewer.videos.get(readyId));
    expect(after).toMatchObject({ status: "ready", renditions: before.renditions });
    expect(ok(await viewer.videos.playback(readyId)).hlsUrl).toContain(`/media/vod/${readyId}/`);
    expect(await h.videos.storage.list(`uploads/${readyId}/`)).toEqual(sources);
    expect(await h.videos.storage.list(`vod/${readyId}/`)).toEqual(outputs);
    expect(await h.videos.stores.jobs.count({ videoId: readyId, state: { $in: ["queued", "running"] } })).toBe(0);
  });
});

describe("batch read and deletion", () => {
  it("getMany leaves out what the caller may not see; delete removes everything and announces it", async () => {
    const secret = ok(await creator.videos.create({ channelId, title: "draft" }));
    const many = (await h.broker.call(
      "videos.getMany",
      { ids: [readyId, secret.id, "missing"] },
      { meta: {} },
    )) as VideoView[];
    expect(many.map((v) => v.id)).toEqual([readyId]);

    expect((await viewer.videos.remove(readyId)).status).toBe(403);
    ok(await viewer.videos.comment(readyId, "last words"));
    expect(ok(await creator.videos.remove(readyId))).toEqual({ id: readyId, deleted: true });
    expect((await viewer.videos.get(readyId)).status).toBe(404);
    expect(await h.videos.storage.list(`vod/${readyId}/`)).toEqual([]);
    expect(await h.videos.storage.list(`uploads/${readyId}/`)).toEqual([]);
    expect(await h.videos.stores.comments.count({ videoId: readyId })).toBe(0);
    expect(await h.videos.stores.views.count({ videoId: readyId })).toBe(0);
    await waitFor(() => seen.some((e) => e.type === "video.deleted" && e.payload.videoId === readyId), {
      what: "video.deleted",
    });
    expect(seen.find((e) => e.type === "video.deleted")?.payload).toMatchObject({ channelId, ownerId: creator.id });
  });
});
