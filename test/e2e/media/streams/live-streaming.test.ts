/**
 * The "done when", over real processes: a gateway node (api +
 * delivery), a core node (identity, users, channels) and a media node
 * (streams: RTMP ingest + ffmpeg) talking over the real NATS, durable events
 * on NATS JetStream, data in PostgreSQL. ffmpeg pushes a lavfi test pattern
 * over RTMP; the channel goes live, its HLS plays through the gateway with
 * the signed URL, and when the push stops the recording is handed to VOD.
 */
import { randomBytes } from "node:crypto";
import { ServiceBroker, type ServiceSchema } from "moleculer";
import { setConfig } from "../../../../lib/config";
import { probeMedia } from "../../../../lib/media/ffprobe";
import { signMediaGrant } from "../../../../lib/media/signed-url";
import { durableHandler, type DurableEnvelope } from "../../../../mixins/durable-events";
import type { ChannelLiveStatus, PublicSession } from "../../../../services/media/streams/stream-sessions";
import "../../../../services/media/streams/streams.events";
import { ok, type ApiClient } from "../../../helpers/api-client";
import { startE2eCluster, type E2eCluster } from "../../../helpers/e2e-cluster";
import { NATS_URL, testConfig, waitFor } from "../../../helpers/infra";
import { pushTestPattern, type RtmpPush } from "../../../integration/media/streams/rtmp-push";
import { createChannel } from "../../../integration/media/streams/streams-harness";
import { platformMiddlewares } from "../../../../bin/platform-middlewares";

describe("live streaming across three nodes over NATS (ffmpeg → RTMP → HLS → gateway)", () => {
  const mediaSecret = randomBytes(32).toString("base64url");
  const pushes: RtmpPush[] = [];
  const events: DurableEnvelope[] = [];
  let cluster: E2eCluster;
  let namespace: string;
  let base: string;
  let rtmpPort: number;
  let capture: ServiceBroker;

  beforeAll(async () => {
    cluster = await startE2eCluster({
      prefix: "live",
      nodes: { gw: "api,delivery", core: "identity,users,channels", media: "streams" },
      // One media root and one URL secret: streams writes and signs, delivery (another node) verifies and serves.
      sharedDataDir: true,
      ports: ["RTMP_PORT"],
      env: {
        MEDIA_URL_SECRET: mediaSecret,
        IDENTITY_KEY_ENCRYPTION_SECRET: randomBytes(32).toString("base64url"),
        LIVE_HLS_LADDER: "240p:300:64",
        LIVE_X264_PRESET: "ultrafast",
        LIVE_RECONNECT_GRACE_S: "3",
      },
      readyWhen: { "identity through the gateway": "/auth/jwks", "streams through the gateway": "/streams/live" },
    });
    ({ namespace, base } = cluster);
    rtmpPort = cluster.ports.RTMP_PORT as number;

    // The test's own node consumes the durable events like notifications and videos will.
    const config = await testConfig({
      TRANSPORTER: NATS_URL,
      NAMESPACE: namespace,
      DURABLE_EVENTS_URL: NATS_URL,
      DATABASE_URL: cluster.db?.url,
    });
    setConfig(config);
    capture = new ServiceBroker({
      nodeID: `${namespace}-capture`,
      namespace,
      transporter: NATS_URL,
      logger: false,
      middlewares: platformMiddlewares(config),
    });
    const channels = Object.assign(
      {},
      ...(["stream.started", "stream.ended", "video.source.ready"] as const).map((type) =>
        durableHandler(type, {
          group: "e2e-capture",
          handler: async (envelope) => void events.push(envelope as DurableEnvelope),
        }),
      ),
    );
    capture.createService({ name: "capture", channels } as ServiceSchema);
    await capture.start();
  });

  afterAll(async () => {
    await Promise.all(pushes.map((p) => p.stop()));
    await capture?.stop();
    await cluster?.stop();
  });

  const register = async (prefix: string): Promise<ApiClient> => (await cluster.register(prefix)).api;

  it("refuses a bad key, goes live with a good one, plays signed HLS through the gateway, and hands the recording over when the push stops", async () => {
    const alice = await register("alice");
    const bob = await register("bob");
    const created = await createChannel(alice, {
      slug: `a-${namespace}`.toLowerCase().slice(0, 30),
      title: "Alice plays",
      category: "fps",
    });
    const channelId = created.channel.id;
    ok(await bob.channels.follow(channelId));
    const rtmp = `rtmp://127.0.0.1:${rtmpPort}/live`;

    // Bad key: refused at ingest, nothing created.
    const bad = pushTestPattern(`${rtmp}/live_${randomBytes(32).toString("base64url")}`, { seconds: 5, audio: false });
    pushes.push(bad);
    expect(await bad.exited).not.toBe(0);
    expect(ok(await bob.request<{ items: unknown[] }>("GET", "/streams/live")).items).toEqual([]);

    // Good key: the command line (test pattern, x264 ultrafast, AAC, FLV over RTMP).
    const push = pushTestPattern(`${rtmp}/${created.streamKey}`, { seconds: 60, size: "640x360" });
    pushes.push(push);
    const status = await waitFor(
      async () => {
        const s = ok(await bob.request<ChannelLiveStatus>("GET", `/streams/channels/${channelId}`));
        return s.live ? s : undefined;
      },
      { timeoutMs: 30000, intervalMs: 250, what: "channel live" },
    );
    const sessionId = (status.session as PublicSession).id;
    await waitFor(() => events.some((e) => e.type === "stream.started"), {
      timeoutMs: 20000,
      what: "stream.started (followers' notification)",
    });
    expect(events.find((e) => e.type === "stream.started")?.payload).toMatchObject({
      sessionId,
      channelId,
      title: "Alice plays",
      category: "fps",
    });
    await waitFor(async () => ok(await bob.channels.get(channelId)).isLive, {
      timeoutMs: 20000,
      what: "channels marks the channel live",
    });

    const playbackUrl = status.playbackUrl as string;
    expect(playbackUrl.startsWith(`${base}/media/live/${sessionId}/master.m3u8?`)).toBe(true);
    await waitFor(
      async () => {
        const res = await fetch(playbackUrl.replace("master.m3u8", "240p/index.m3u8"));
        return res.status === 200 && ((await res.text()).match(/\.ts\?/g) ?? []).length >= 2;
      },
      { timeoutMs: 45000, intervalMs: 500, what: "two 240p segments" },
    );
    const probe = await probeMedia("ffprobe", playbackUrl);
    const heights = probe.streams.filter((s) => s.codecType === "video").map((s) => s.height);
    expect(heights).toEqual(expect.arrayContaining([360, 240]));

    const path = new URL(playbackUrl).pathname;
    expect((await fetch(`${base}${path}`)).status).toBe(403);
    const expired = signMediaGrant(
      { prefix: `/media/live/${sessionId}/`, expiresAt: Math.floor(Date.now() / 1000) - 1 },
      mediaSecret,
    );
    expect((await fetch(`${base}${path}?${expired}`)).status).toBe(403);

    // ~10 s of pushing, then stop: the session ends after the grace period.
    await waitFor(() => Date.now() - Date.parse((status.session as PublicSession).startedAt) > 10000, {
      timeoutMs: 20000,
      intervalMs: 200,
      what: "10 s of pushing",
    });
    await push.stop();
    await waitFor(() => events.some((e) => e.type === "video.source.ready"), {
      timeoutMs: 60000,
      what: "video.source.ready",
    });
    const ended = events.find((e) => e.type === "stream.ended")?.payload as { sessionId: string; durationS: number };
    expect(ended.sessionId).toBe(sessionId);
    expect(ended.durationS).toBeGreaterThanOrEqual(8);
    const ready = events.find((e) => e.type === "video.source.ready")?.payload as {
      storageKey: string;
      sessionId: string;
      durationS: number;
    };
    expect(ready).toMatchObject({ sessionId, storageKey: `recordings/${sessionId}/source.mp4` });
    expect(ready.durationS).toBeGreaterThanOrEqual(8);

    // The recording plays, served by the delivery node with a signed grant.
    const grant = signMediaGrant(
      { prefix: `/media/recordings/${sessionId}/`, expiresAt: Math.floor(Date.now() / 1000) + 300 },
      mediaSecret,
    );
    const recordingUrl = `${base}/media/${ready.storageKey}?${grant}`;
    const head = await fetch(recordingUrl);
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toBe("video/mp4");
    await head.arrayBuffer();
    const recorded = await probeMedia("ffprobe", recordingUrl);
    expect(recorded.streams.map((s) => s.codecType).sort()).toEqual(["audio", "video"]);

    const after = ok(await bob.request<ChannelLiveStatus>("GET", `/streams/channels/${channelId}`));
    expect(after.live).toBe(false);
    await waitFor(async () => !ok(await bob.channels.get(channelId)).isLive, {
      timeoutMs: 20000,
      what: "channel offline",
    });
  });
});
