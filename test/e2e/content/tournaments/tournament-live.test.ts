/**
 * A small tournament over real processes on the real NATS (durable events on
 * JetStream, data in PostgreSQL): a gateway/core/realtime node and a
 * media/tournaments node. Players register and report over REST while a
 * viewer follows the bracket on a WebSocket (public topic). The final is
 * shown on the organizer's channel: ffmpeg pushes a test pattern, the
 * streams service announces the session, the match links to it, and when
 * the recording becomes a VOD (real streams and videos services) the final
 * gets a chapter in it.
 */
import { randomBytes } from "node:crypto";
import { ServiceBroker } from "moleculer";
import type { MatchView } from "../../../../services/content/tournaments/tournament.types";
import { ok as okCore } from "../../../helpers/api-client";
import { freePort } from "../../../helpers/cluster";
import { E2E_PASSWORD, startE2eCluster, type E2eCluster } from "../../../helpers/e2e-cluster";
import { NATS_URL, waitFor } from "../../../helpers/infra";
import { ok, tournamentsApi, type TournamentsApi } from "../../../helpers/tournaments-api";
import { RealtimeClient, type Frame } from "../../../integration/edge/realtime/realtime-client";
import { pushTestPattern, type RtmpPush } from "../../../integration/media/streams/rtmp-push";

describe("a tournament played over REST, followed on a WebSocket, its final on stream and in the VOD", () => {
  let cluster: E2eCluster;
  let control: ServiceBroker;
  let realtimePort: number;
  const pushes: RtmpPush[] = [];
  const sockets: RealtimeClient[] = [];

  beforeAll(async () => {
    realtimePort = await freePort();
    cluster = await startE2eCluster({
      prefix: "tourn",
      nodes: { gw: "api,delivery,identity,users,channels,realtime", media: "streams,videos,tournaments" },
      sharedDataDir: true,
      ports: ["RTMP_PORT"],
      env: {
        MEDIA_URL_SECRET: randomBytes(32).toString("base64url"),
        IDENTITY_KEY_ENCRYPTION_SECRET: randomBytes(32).toString("base64url"),
        LIVE_HLS_LADDER: "144p:150:48",
        LIVE_X264_PRESET: "ultrafast",
        LIVE_RECONNECT_GRACE_S: "2",
        REALTIME_HOST: "127.0.0.1",
      },
      nodeEnv: { gw: { REALTIME_PORT: String(realtimePort) } },
      readyWhen: { identity: "/auth/jwks", tournaments: "/tournaments", videos: "/videos" },
    });
    // A broker of the test's own on the cluster's namespace: only to grant the organizer role.
    control = new ServiceBroker({
      namespace: cluster.namespace,
      nodeID: `${cluster.namespace}-control`,
      transporter: NATS_URL,
      logger: false,
    });
    await control.start();
    await control.waitForServices(["identity"], 30000);
  });

  afterAll(async () => {
    for (const s of sockets) s.close();
    await Promise.all(pushes.map((p) => p.stop()));
    await control?.stop();
    await cluster?.stop();
  });

  it("plays a 4-player bracket to a champion; viewers see every change live; the final gets a VOD chapter", async () => {
    const org = await cluster.register("org");
    await control.call("identity.grantRole", { userId: org.id, role: "organizer" });
    // Roles travel in the access token: log in again to carry the new one.
    const login = okCore(await cluster.api.auth.login({ login: org.username, password: E2E_PASSWORD }));
    const organizer = tournamentsApi(cluster.api.as(login.accessToken));
    const orgApi = cluster.api.as(login.accessToken);
    const channel = okCore(
      await orgApi.channels.create({ slug: `cup-${cluster.namespace}`.toLowerCase().slice(0, 30), title: "Cup TV" }),
      201,
    );

    const players: Array<{ id: string; t: TournamentsApi }> = [];
    for (const p of ["pa", "pb", "pc", "pd"]) {
      const user = await cluster.register(p);
      players.push({ id: user.id, t: tournamentsApi(user.api) });
    }
    const t = ok(
      await organizer.create({
        name: "E2E Cup",
        game: "Arena Fighters",
        format: "single_elimination",
        maxEntrants: 4,
        startsAt: new Date(Date.now() + 3_600_000).toISOString(),
      }),
    );
    ok(await organizer.openRegistration(t.id));
    const entrantOf = new Map<string, (typeof players)[number]>();
    for (const p of players) entrantOf.set(ok(await p.t.register(t.id)).id, p);

    // A viewer follows the bracket before it starts.
    const viewer = await RealtimeClient.connect(`ws://127.0.0.1:${realtimePort}/`);
    sockets.push(viewer);
    const cid = viewer.send({ type: "subscribe", topic: `tournament:${t.id}` });
    await viewer.waitFor((f) => f.cid === cid && f.type === "subscribed");
    const events = (name: string): Frame[] => viewer.frames.filter((f) => f.type === "event" && f.event === name);
    const pushedMatch = (id: string, pred: (m: MatchView) => boolean) =>
      viewer.waitFor(
        (f) =>
          f.type === "event" &&
          f.event === "matches.updated" &&
          (f.data as { matches: MatchView[] }).matches.some((m) => m.id === id && pred(m)),
        30000,
      );

    ok(await organizer.start(t.id));
    await viewer.waitFor((f) => f.type === "event" && f.event === "bracket.created", 30000);
    expect(events("tournament.updated").some((f) => (f.data as { status: string }).status === "running")).toBe(true);

    // Semi-finals: both sides report; the viewer sees each result and the final filling up.
    const bracket = ok(await cluster.api.request<{ matches: MatchView[] }>("GET", `/tournaments/${t.id}/bracket`));
    const semis = bracket.matches.filter((m) => m.round === 1);
    const finalId = bracket.matches.find((m) => m.round === 2)!.id;
    for (const m of semis) {
      const [a, b] = m.sides.map((s) => entrantOf.get(s.entrantId as string)!);
      ok(await a!.t.report(t.id, m.id, 3, 1));
      ok(await b!.t.report(t.id, m.id, 3, 1));
      await pushedMatch(m.id, (x) => x.status === "completed");
    }
    const readyFinal = await pushedMatch(finalId, (x) => x.status === "ready");
    expect(readyFinal).toBeTruthy();

    // The final on stream: assigned to the channel, which then goes live.
    ok(await organizer.assignChannel(t.id, finalId, channel.channel.id));
    const push = pushTestPattern(`rtmp://127.0.0.1:${cluster.ports.RTMP_PORT}/live/${channel.streamKey}`, {
      seconds: 6,
      size: "320x240",
    });
    pushes.push(push);
    const linked = await pushedMatch(finalId, (x) => x.live && x.liveSessionId !== null);
    const liveSession = (linked.data as { matches: MatchView[] }).matches.find((m) => m.id === finalId)!.liveSessionId;
    const onChannel = ok(
      await cluster.api.request<{ match: MatchView | null }>("GET", `/channels/${channel.channel.id}/tournament-match`),
    );
    expect(onChannel.match?.id).toBe(finalId);

    // Played while live: decided a couple of seconds into the broadcast.
    await new Promise((r) => setTimeout(r, 2000));
    const final = ok(await cluster.api.request<{ items: MatchView[] }>("GET", `/tournaments/${t.id}/matches?round=2`));
    const [fa, fb] = final.items[0]!.sides.map((s) => entrantOf.get(s.entrantId as string)!);
    ok(await fa!.t.report(t.id, finalId, 0, 2));
    ok(await fb!.t.report(t.id, finalId, 0, 2));
    await viewer.waitFor(
      (f) =>
        f.type === "event" && f.event === "tournament.updated" && (f.data as { status: string }).status === "completed",
      30000,
    );
    const done = ok(await cluster.api.request<{ championEntrantId: string }>("GET", `/tournaments/${t.id}`));
    expect(entrantOf.get(done.championEntrantId)?.id).toBe(fb!.id);

    // The recording becomes a VOD; the final is a chapter in it.
    await push.exited;
    const video = await waitFor(
      async () => {
        const page = ok(
          await cluster.api.request<{
            items: Array<{ id: string; liveSessionId: string | null; status: string; durationS: number }>;
          }>("GET", `/videos?channelId=${channel.channel.id}`),
        );
        return page.items.find((v) => v.liveSessionId === liveSession && v.status === "ready") ?? null;
      },
      { timeoutMs: 120000, intervalMs: 500, what: "the recording published as a VOD" },
    );
    const chapters = await waitFor(
      async () => {
        const res = ok(await tournamentsApi(cluster.api).chapters(video.id));
        return res.items.length > 0 ? res.items : null;
      },
      { timeoutMs: 30000, intervalMs: 300, what: "the final's chapter" },
    );
    expect(chapters).toHaveLength(1);
    expect(chapters[0]).toMatchObject({ matchId: finalId, tournamentId: t.id });
    expect(chapters[0]!.startS).toBeGreaterThanOrEqual(0);
    expect(chapters[0]!.endS).toBeGreaterThan(chapters[0]!.startS);
    expect(chapters[0]!.endS).toBeLessThanOrEqual(video.durationS);
    const finalView = ok(
      await cluster.api.request<{ matches: MatchView[] }>("GET", `/tournaments/${t.id}/bracket`),
    ).matches.find((m) => m.id === finalId);
    expect(finalView).toMatchObject({ videoId: video.id, live: false, liveSessionId: liveSession });
  });
});
