/**
 * The "done when" over real processes: a gateway node (api +
 * delivery), a core node (identity, users, channels, chat) and a media node
 * (streams + videos) on the real NATS, durable events on JetStream, data in
 * PostgreSQL. A creator uploads an ffmpeg-made clip and it becomes a
 * playable multi-rendition VOD (played with ffprobe through the signed URL);
 * a live push's recording becomes a VOD by itself; viewers comment on both.
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import type { VideoView } from "../../../../services/media/videos/video.types";
import { ok as okCore, type ApiClient } from "../../../helpers/api-client";
import { startE2eCluster, type E2eCluster } from "../../../helpers/e2e-cluster";
import { createTempDir, waitFor, type TempDir } from "../../../helpers/infra";
import { makeClip } from "../../../integration/media/videos/helpers/clip";
import { ok, videosApi, type VideosApi } from "../../../integration/media/videos/helpers/videos-api";
import { pushTestPattern, type RtmpPush } from "../../../integration/media/streams/rtmp-push";

const run = promisify(execFile);

async function playedHeights(url: string): Promise<{ heights: number[]; hasAudio: boolean }> {
  const { stdout } = await run("ffprobe", [
    "-v",
    "error",
    "-show_entries",
    "stream=codec_type,height",
    "-of",
    "json",
    url,
  ]);
  const streams = (JSON.parse(stdout) as { streams: { codec_type: string; height?: number }[] }).streams;
  return {
    heights: streams
      .filter((s) => s.codec_type === "video")
      .map((s) => s.height ?? 0)
      .sort((a, b) => b - a),
    hasAudio: streams.some((s) => s.codec_type === "audio"),
  };
}

describe("VOD across three nodes over NATS (upload → ffmpeg → signed HLS; live recording → VOD; comments)", () => {
  const pushes: RtmpPush[] = [];
  let cluster: E2eCluster;
  let namespace: string;
  let work: TempDir;
  let base: string;
  let rtmpPort: number;
  let api: ApiClient;

  beforeAll(async () => {
    work = createTempDir("arena-vod-e2e-work-");
    cluster = await startE2eCluster({
      prefix: "vod",
      nodes: { gw: "api,delivery", core: "identity,users,channels,chat", media: "streams,videos" },
      sharedDataDir: true,
      ports: ["RTMP_PORT"],
      env: {
        MEDIA_URL_SECRET: randomBytes(32).toString("base64url"),
        IDENTITY_KEY_ENCRYPTION_SECRET: randomBytes(32).toString("base64url"),
        LIVE_HLS_LADDER: "240p:300:64,144p:150:48",
        LIVE_X264_PRESET: "ultrafast",
        LIVE_RECONNECT_GRACE_S: "2",
      },
      readyWhen: { "identity through the gateway": "/auth/jwks", "videos through the gateway": "/videos" },
    });
    ({ namespace, base, api } = cluster);
    rtmpPort = cluster.ports.RTMP_PORT as number;
  });

  afterAll(async () => {
    await Promise.all(pushes.map((p) => p.stop()));
    await cluster?.stop();
    work?.remove();
  });

  const register = async (prefix: string): Promise<{ api: ApiClient; videos: VideosApi; id: string }> => {
    const user = await cluster.register(prefix);
    return { ...user, videos: videosApi(user.api) };
  };

  const waitReady = (client: VideosApi, id: string, timeoutMs = 90000): Promise<VideoView> =>
    waitFor(
      async () => {
        const video = ok(await client.get(id));
        if (video.status === "failed") throw new Error(`failed: ${video.failureReason}`);
        return video.status === "ready" ? video : null;
      },
      { timeoutMs, intervalMs: 300, what: `video ${id} ready` },
    );

  it("a creator's upload becomes a playable multi-rendition VOD; a live recording becomes a VOD; viewers comment", async () => {
    const alice = await register("alice");
    const bob = await register("bob");
    const created = okCore(
      await alice.api.channels.create({
        slug: `a-${namespace}`.toLowerCase().slice(0, 30),
        title: "Alice plays",
        category: "fps",
      }),
      201,
    );
    const channelId = created.channel.id;

    // Upload: a clip made by ffmpeg, streamed through the gateway to the media node.
    const clip = readFileSync(makeClip(work.path));
    const draft = ok(await alice.videos.create({ channelId, title: "Ace clutch", category: "fps", tags: ["clutch"] }));
    // An unpublished draft does not exist for anyone else.
    expect((await bob.videos.upload(draft.id, clip, "video/mp4")).status).toBe(404);
    expect(ok(await alice.videos.upload(draft.id, clip, "video/mp4")).status).toBe("processing");
    const uploaded = await waitReady(alice.videos, draft.id);
    expect(uploaded.renditions.map((r) => r.height)).toEqual([240, 144]);

    const play = ok(await bob.videos.playback(draft.id));
    expect(play.hlsUrl.startsWith(`${base}/media/vod/${draft.id}/master.m3u8?`)).toBe(true);
    expect(await playedHeights(play.hlsUrl)).toEqual({ heights: [240, 144], hasAudio: true });
    expect((await fetch(play.hlsUrl.split("?")[0] as string)).status).toBe(403);

    const comment = ok(await bob.videos.comment(draft.id, "what a <b>play</b>"));
    expect(comment.body).toBe("what a play");
    const reply = ok(await alice.videos.comment(draft.id, "thanks!", comment.id));
    expect(
      ok(
        await api
          .as(undefined)
          .request<{ items: { id: string }[] }>("GET", `/videos/${draft.id}/comments?rootId=${comment.id}`),
      ).items.map((c) => c.id),
    ).toEqual([reply.id]);

    // Live: push a test pattern, stop; the recording turns into a VOD with no one asking.
    const push = pushTestPattern(`rtmp://127.0.0.1:${rtmpPort}/live/${created.streamKey}`, {
      seconds: 6,
      size: "320x240",
    });
    pushes.push(push);
    await waitFor(
      async () => ok(await bob.api.request<{ live: boolean }>("GET", `/streams/channels/${channelId}`)).live,
      { timeoutMs: 30000, intervalMs: 250, what: "channel live" },
    );
    await push.exited;
    const recording = await waitFor(
      async () => {
        const page = ok(await bob.videos.list({ channelId }));
        return page.items.find((v) => v.origin === "recording") ?? null;
      },
      { timeoutMs: 120000, intervalMs: 500, what: "recording VOD published" },
    );
    expect(recording).toMatchObject({ status: "ready", title: "Alice plays", category: "fps", visibility: "public" });
    expect(recording.liveSessionId).toBeTruthy();
    const recordingPlay = ok(await bob.videos.playback(recording.id));
    const played = await playedHeights(recordingPlay.hlsUrl);
    expect(played.heights).toEqual([240, 144]);
    expect(ok(await bob.videos.comment(recording.id, "missed it live, great stream")).videoId).toBe(recording.id);
    expect(ok(await bob.videos.get(recording.id)).commentCount).toBe(1);
  });
});
