/**
 * A creator uploads a clip made by ffmpeg; it is transcoded for real into a
 * multi-rendition HLS VOD, played with ffprobe through the signed URL the
 * API hands out (delivery service behind the real gateway), and viewers
 * watch and comment on it. Real Postgres, real HTTP.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { createTempDir, waitFor, type TempDir } from "../../helpers/infra";
import { makeClip } from "./helpers/clip";
import { anonymous, createChannel, newActor, type Actor } from "./helpers/users";
import { ok } from "./helpers/videos-api";
import { startVideos, type VideosHarness } from "./helpers/videos-harness";
import type { VideoView } from "../../../services/media/videos/video.types";

const run = promisify(execFile);

let h: VideosHarness;
let work: TempDir;
let clip: Buffer;
let creator: Actor;
let viewer: Actor;
let channelId: string;

beforeAll(async () => {
  work = createTempDir("arena-vodflow-");
  clip = readFileSync(makeClip(work.path));
  h = await startVideos();
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
    const video = ok(await creator.videos.create({ channelId, title: "  First clip ", description: "gg", category: "fps", tags: ["Clutch", "clutch"] }), [201, 200]);
    expect(video).toMatchObject({ status: "awaiting_upload", title: "First clip", tags: ["clutch"], visibility: "public", origin: "upload" });
    // Not playable, not visible to others before it is ready.
    expect((await viewer.videos.get(video.id)).status).toBe(404);

    const ready = await uploadAndWait(video);
    expect(ready.renditions.map((r) => r.name)).toEqual(["240p", "144p"]);
    expect(ready.durationS).toBeGreaterThan(1.5);
    expect(ready.publishedAt).not.toBeNull();

    const play = ok(await viewer.videos.playback(video.id));
    expect(play.hlsUrl.startsWith(`${h.config.publicUrl}/media/vod/${video.id}/master.m3u8?`)).toBe(true);
    // PUBLIC_URL points at the default port; the test gateway listens elsewhere.
    const hlsUrl = play.hlsUrl.replace(h.config.publicUrl, h.base);
    const { stdout } = await run("ffprobe", ["-v", "error", "-show_entries", "stream=codec_type,height", "-of", "json", hlsUrl]);
    const streams = (JSON.parse(stdout) as { streams: { codec_type: string; height?: number }[] }).streams;
    expect(streams.filter((s) => s.codec_type === "video").map((s) => s.height).sort()).toEqual([144, 240]);
    expect(streams.some((s) => s.codec_type === "audio")).toBe(true);

    // The grant is the only key: without it, or for another video's tree, delivery refuses.
    const bare = await fetch(hlsUrl.split("?")[0] as string);
    expect(bare.status).toBe(403);
    const thumb = await fetch((play.thumbnailUrl as string).replace(h.config.publicUrl, h.base));
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get("content-type")).toContain("image/jpeg");

    const listed = ok(await anonymous(h.base).videos.list({ channelId }));
    expect(listed.items.map((v) => v.id)).toContain(video.id);
  });
});
