/**
 * The "done when" in embedded mode: one node with every service
 * (in-process transport, PGlite, in-process durable events), which is what
 * `npm start` runs, plus the ffmpeg command line pushing over RTMP.
 */
import { randomBytes } from "node:crypto";
import { probeMedia } from "../../../../lib/media/ffprobe";
import type { ChannelLiveStatus, StreamHealthView } from "../../../../services/media/streams/stream-sessions";
import { ApiClient, ok } from "../../../helpers/api-client";
import { startNode, waitForHttp, type ArenaNode } from "../../../helpers/cluster";
import { registerAndLogin } from "../../../helpers/e2e-cluster";
import { createTempDir, waitFor, type TempDir } from "../../../helpers/infra";
import { pushTestPattern, type RtmpPush } from "../../../integration/media/streams/rtmp-push";
import { createChannel } from "../../../integration/media/streams/streams-harness";

/** Ports below the kernel's ephemeral range, so outgoing connections on a busy machine never hold them. */
function quietPort(): number {
  return 20000 + Math.floor(Math.random() * 10000);
}

describe("embedded node (npm start): ffmpeg push makes the channel live and its HLS playable", () => {
  let node: ArenaNode;
  let dataDir: TempDir;
  let api: ApiClient;
  let rtmpPort: number;
  const pushes: RtmpPush[] = [];

  beforeAll(async () => {
    dataDir = createTempDir("arena-embedded-live-");
    const apiPort = quietPort();
    rtmpPort = apiPort + 1;
    const base = `http://127.0.0.1:${apiPort}`;
    node = startNode(`embedded-${apiPort}`, {
      DATA_DIR: dataDir.path,
      API_PORT: String(apiPort),
      RTMP_PORT: String(rtmpPort),
      REALTIME_PORT: "0",
      PUBLIC_URL: base,
      RATE_LIMIT_PER_IP: "100000",
      RATE_LIMIT_PER_USER: "100000",
      LIVE_HLS_LADDER: "240p:300:64",
      LIVE_X264_PRESET: "ultrafast",
      LIVE_RECONNECT_GRACE_S: "2",
    });
    await waitForHttp(`${base}/health/live`, 200, 120000);
    api = new ApiClient(base);
    await waitFor(async () => (await api.request("GET", "/streams/live")).status === 200, {
      timeoutMs: 120000,
      intervalMs: 250,
      what: `streams up\n${node.output().slice(-2000)}`,
    });
  });

  afterAll(async () => {
    await Promise.all(pushes.map((p) => p.stop()));
    await node?.kill("SIGTERM");
    dataDir?.remove();
  });

  it("goes live, plays, reports health to the owner, and goes offline when the push stops", async () => {
    const username = `alice_${randomBytes(4).toString("hex")}`;
    const { api: alice } = await registerAndLogin(api, username);
    const { channel, streamKey } = await createChannel(alice, {
      slug: username.replace(/_/g, "-"),
      title: "Embedded",
      category: "fps",
    });

    const push = pushTestPattern(`rtmp://127.0.0.1:${rtmpPort}/live/${streamKey}`, { seconds: 60, size: "640x360" });
    pushes.push(push);
    const status = await waitFor(
      async () => {
        const s = ok(await api.request<ChannelLiveStatus>("GET", `/streams/channels/${channel.id}`));
        return s.live ? s : undefined;
      },
      { timeoutMs: 30000, intervalMs: 250, what: "channel live" },
    );
    await waitFor(async () => ok(await api.channels.get(channel.id)).isLive, {
      timeoutMs: 20000,
      what: "channels sees it live",
    });

    const playbackUrl = status.playbackUrl as string;
    await waitFor(
      async () => {
        const res = await fetch(playbackUrl.replace("master.m3u8", "240p/index.m3u8"));
        return res.status === 200 && ((await res.text()).match(/\.ts\?/g) ?? []).length >= 2;
      },
      { timeoutMs: 45000, intervalMs: 500, what: "segments" },
    );
    const probe = await probeMedia("ffprobe", playbackUrl);
    expect(probe.streams.filter((s) => s.codecType === "video").map((s) => s.height)).toEqual(
      expect.arrayContaining([360, 240]),
    );
    // The first sample can precede the first decoded frame (0x0, 0 fps): wait for one that measured the push.
    const healthPath = `/streams/channels/${channel.id}/health`;
    let lastView: StreamHealthView | undefined;
    const health = await waitFor(
      async () => {
        lastView = ok(await alice.request<StreamHealthView>("GET", healthPath));
        return lastView.latest && lastView.latest.width > 0 && lastView.latest.fps > 0 ? lastView : undefined;
      },
      { timeoutMs: 30000, intervalMs: 500, what: "a measured health sample" },
    ).catch((err: Error) => {
      throw new Error(`${err.message}; last view: ${JSON.stringify(lastView)}`);
    });
    expect(health).toMatchObject({ sessionId: status.session?.id, channelId: channel.id, status: "live" });
    expect(health.latest).toMatchObject({ width: 640, height: 360 });
    expect(health.latest?.bitrateKbps).toBeGreaterThan(0);
    expect(health.samples.length).toBeGreaterThan(0);
    // Owner-only: another user and an anonymous caller are refused.
    const { api: bob } = await registerAndLogin(api, `bob_${randomBytes(4).toString("hex")}`);
    expect((await bob.request("GET", healthPath)).status).toBe(403);
    expect((await api.request("GET", healthPath)).status).toBe(401);

    await push.stop();
    await waitFor(
      async () => !ok(await api.request<ChannelLiveStatus>("GET", `/streams/channels/${channel.id}`)).live,
      { timeoutMs: 30000, what: "offline" },
    );
    await waitFor(async () => !ok(await api.channels.get(channel.id)).isLive, {
      timeoutMs: 20000,
      what: "channels sees it offline",
    });
  });
});
