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
import { connect } from "nats";
import { setConfig } from "../../../lib/config";
import { probeMedia } from "../../../lib/media/ffprobe";
import { signMediaGrant } from "../../../lib/media/signed-url";
import { DurableEventsMiddleware, durableHandler, type DurableEnvelope } from "../../../mixins/durable-events";
import type { ChannelLiveStatus, PublicSession } from "../../../services/media/streams/stream-sessions";
import "../../../services/media/streams/streams.events";
import { ApiClient, ok } from "../../helpers/api-client";
import { freePort, startNode, waitForHttp, type ArenaNode } from "../../helpers/cluster";
import { createTempDir, createTestDatabase, NATS_URL, testConfig, uniqueId, waitFor, type TempDir, type TestDatabase } from "../../helpers/infra";
import { pushTestPattern, type RtmpPush } from "../../integration/streams/rtmp-push";
import { createChannel } from "../../integration/streams/streams-harness";

const PASSWORD = "violet-tundra-42-kettle";

describe("live streaming across three nodes over NATS (ffmpeg → RTMP → HLS → gateway)", () => {
  const namespace = uniqueId("live");
  const mediaSecret = randomBytes(32).toString("base64url");
  const nodes: ArenaNode[] = [];
  const pushes: RtmpPush[] = [];
  const events: DurableEnvelope[] = [];
  let db: TestDatabase;
  let dataDir: TempDir;
  let api: ApiClient;
  let base: string;
  let rtmpPort: number;
  let capture: ServiceBroker;

  beforeAll(async () => {
    db = await createTestDatabase("arena_e2e_live");
    dataDir = createTempDir("arena-live-e2e-");
    const apiPort = await freePort();
    rtmpPort = await freePort();
    base = `http://127.0.0.1:${apiPort}`;
    const common = {
      TRANSPORTER: NATS_URL, NAMESPACE: namespace, DATABASE_URL: db.url, DURABLE_EVENTS_URL: NATS_URL,
      RATE_LIMIT_PER_IP: "100000", RATE_LIMIT_PER_USER: "100000", API_PORT: String(apiPort), PUBLIC_URL: base,
      // One media root and one URL secret: streams writes and signs, delivery (another node) verifies and serves.
      DATA_DIR: dataDir.path, MEDIA_URL_SECRET: mediaSecret, IDENTITY_KEY_ENCRYPTION_SECRET: randomBytes(32).toString("base64url"),
      RTMP_PORT: String(rtmpPort), LIVE_HLS_LADDER: "240p:300:64", LIVE_X264_PRESET: "ultrafast", LIVE_RECONNECT_GRACE_S: "3",
    };
    nodes.push(startNode(`${namespace}-gw`, { ...common, ARENA_SERVICES: "api,delivery" }));
    nodes.push(startNode(`${namespace}-core`, { ...common, ARENA_SERVICES: "identity,users,channels" }));
    nodes.push(startNode(`${namespace}-media`, { ...common, ARENA_SERVICES: "streams" }));

    // The test's own node consumes the durable events like notifications and videos will.
    const config = await testConfig({ TRANSPORTER: NATS_URL, NAMESPACE: namespace, DURABLE_EVENTS_URL: NATS_URL, DATABASE_URL: db.url });
    setConfig(config);
    capture = new ServiceBroker({ nodeID: `${namespace}-capture`, namespace, transporter: NATS_URL, logger: false, middlewares: [DurableEventsMiddleware(config)] });
    const channels = Object.assign(
      {},
      ...(["stream.started", "stream.ended", "video.source.ready"] as const).map((type) =>
        durableHandler(type, { group: "e2e-capture", handler: async (envelope) => void events.push(envelope as DurableEnvelope) }),
      ),
    );
    capture.createService({ name: "capture", channels } as ServiceSchema);
    await capture.start();

    await waitForHttp(`${base}/health/live`, 200, 120000);
    api = new ApiClient(base);
    await waitFor(async () => (await api.auth.jwks()).status === 200, { timeoutMs: 120000, intervalMs: 250, what: "identity through the gateway" });
    await waitFor(async () => (await api.request("GET", "/streams/live")).status === 200, { timeoutMs: 120000, intervalMs: 250, what: "streams through the gateway" });
  });

  afterAll(async () => {
    await Promise.all(pushes.map((p) => p.stop()));
    await capture?.stop();
    await Promise.all(nodes.map((n) => n.kill("SIGTERM")));
    await db?.drop();
    const nc = await connect({ servers: NATS_URL });
    const jsm = await nc.jetstreamManager();
    for await (const stream of jsm.streams.list()) {
      if (stream.config.name.includes(namespace)) await jsm.streams.delete(stream.config.name);
    }
    await nc.close();
    dataDir?.remove();
  });

  const register = async (prefix: string): Promise<ApiClient> => {
    const username = `${prefix}_${namespace}`.slice(0, 24);
    expect([200, 201]).toContain((await api.auth.register({ email: `${username}@example.test`, username, password: PASSWORD })).status);
    return api.as(ok(await api.auth.login({ login: username, password: PASSWORD })).accessToken);
  };

  it("refuses a bad key, goes live with a good one, plays signed HLS through the gateway, and hands the recording over when the push stops", async () => {
    const alice = await register("alice");
    const bob = await register("bob");
    const created = await createChannel(alice, { slug: `a-${namespace}`.toLowerCase().slice(0, 30), title: "Alice plays", category: "fps" });
    const channelId = created.channel.id;
    ok(await bob.channels.follow(channelId));
    const rtmp = `rtmp://127.0.0.1:${rtmpPort}/live`;

    // Bad key: refused at ingest, nothing created.
    const bad = pushTestPattern(`${rtmp}/live_${randomBytes(32).toString("base64url")}`, { seconds: 5, audio: false });
    pushes.push(bad);
    expect(await bad.exited).not.toBe(0);
    expect(ok(await bob.request<{ total: number }>("GET", "/streams/live")).total).toBe(0);

    // Good key: the command line (test pattern, x264 ultrafast, AAC, FLV over RTMP).
    const push = pushTestPattern(`${rtmp}/${created.streamKey}`, { seconds: 60, size: "640x360" });
    pushes.push(push);
    const status = await waitFor(async () => {
      const s = ok(await bob.request<ChannelLiveStatus>("GET", `/streams/channels/${channelId}`));
      return s.live ? s : undefined;
    }, { timeoutMs: 30000, intervalMs: 250, what: "channel live" });
    const sessionId = (status.session as PublicSession).id;
    await waitFor(() => events.some((e) => e.type === "stream.started"), { timeoutMs: 20000, what: "stream.started (followers' notification)" });
    expect(events.find((e) => e.type === "stream.started")?.payload).toMatchObject({ sessionId, channelId, title: "Alice plays", category: "fps" });
    await waitFor(async () => ok(await bob.channels.get(channelId)).isLive, { timeoutMs: 20000, what: "channels marks the channel live" });

    const playbackUrl = status.playbackUrl as string;
    expect(playbackUrl.startsWith(`${base}/media/live/${sessionId}/master.m3u8?`)).toBe(true);
    await waitFor(async () => {
      const res = await fetch(playbackUrl.replace("master.m3u8", "240p/index.m3u8"));
      return res.status === 200 && ((await res.text()).match(/\.ts\?/g) ?? []).length >= 2;
    }, { timeoutMs: 45000, intervalMs: 500, what: "two 240p segments" });
    const probe = await probeMedia("ffprobe", playbackUrl);
    const heights = probe.streams.filter((s) => s.codecType === "video").map((s) => s.height);
    expect(heights).toEqual(expect.arrayContaining([360, 240]));

    const path = new URL(playbackUrl).pathname;
    expect((await fetch(`${base}${path}`)).status).toBe(403);
    const expired = signMediaGrant({ prefix: `/media/live/${sessionId}/`, expiresAt: Math.floor(Date.now() / 1000) - 1 }, mediaSecret);
    expect((await fetch(`${base}${path}?${expired}`)).status).toBe(403);

    // ~10 s of pushing, then stop: the session ends after the grace period.
    await waitFor(() => Date.now() - Date.parse((status.session as PublicSession).startedAt) > 10000, { timeoutMs: 20000, intervalMs: 200, what: "10 s of pushing" });
    await push.stop();
    await waitFor(() => events.some((e) => e.type === "video.source.ready"), { timeoutMs: 60000, what: "video.source.ready" });
    const ended = events.find((e) => e.type === "stream.ended")?.payload as { sessionId: string; durationS: number };
    expect(ended.sessionId).toBe(sessionId);
    expect(ended.durationS).toBeGreaterThanOrEqual(8);
    const ready = events.find((e) => e.type === "video.source.ready")?.payload as { storageKey: string; sessionId: string; durationS: number };
    expect(ready).toMatchObject({ sessionId, storageKey: `recordings/${sessionId}/source.mp4` });
    expect(ready.durationS).toBeGreaterThanOrEqual(8);

    // The recording plays, served by the delivery node with a signed grant.
    const grant = signMediaGrant({ prefix: `/media/recordings/${sessionId}/`, expiresAt: Math.floor(Date.now() / 1000) + 300 }, mediaSecret);
    const recordingUrl = `${base}/media/${ready.storageKey}?${grant}`;
    const head = await fetch(recordingUrl);
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toBe("video/mp4");
    await head.arrayBuffer();
    const recorded = await probeMedia("ffprobe", recordingUrl);
    expect(recorded.streams.map((s) => s.codecType).sort()).toEqual(["audio", "video"]);

    const after = ok(await bob.request<ChannelLiveStatus>("GET", `/streams/channels/${channelId}`));
    expect(after.live).toBe(false);
    await waitFor(async () => !ok(await bob.channels.get(channelId)).isLive, { timeoutMs: 20000, what: "channel offline" });
  });
});
