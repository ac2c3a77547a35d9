/**
 * Two realtime processes (bin/arena-node.ts, ARENA_SERVICES=realtime) over
 * the real NATS and Redis, with identity/users/channels/chat and the REST
 * gateway in this process on the same NATS namespace. Real JWTs from the
 * built-in issuer, real WebSocket clients.
 */
import ChatService from "../../../../services/media/chat/chat.service";
import { defaultRealtimeSettings } from "../../../../services/edge/realtime/realtime-settings";
import type { HistoryPage } from "../../../../services/media/chat/chat-history";
import { ok } from "../../../helpers/api-client";
import { freePort, type ArenaNode } from "../../../helpers/cluster";
import { startE2eCluster, type E2eCluster } from "../../../helpers/e2e-cluster";
import { NATS_URL, REDIS_URL, waitFor } from "../../../helpers/infra";
import { expiresWithin } from "../../../helpers/timing-bounds";
import { newUser, startCore, type CoreHarness, type TestUser } from "../../../integration/core/core-harness";
import { RealtimeClient } from "../../../integration/edge/realtime/realtime-client";

/** Channel creation answers 201 (200 in older builds of the channels service); either is success. */
function createdChannel<T>(res: { status: number; body: T | unknown }): T {
  if (res.status !== 201 && res.status !== 200)
    throw new Error(`channel create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as T;
}
describe("realtime cluster: two gateways over NATS", () => {
  let h: CoreHarness;
  let cluster: E2eCluster;
  let owner: TestUser, mod: TestUser, v1: TestUser, v2: TestUser;
  let room: string;
  const ports: number[] = [];
  const nodes: ArenaNode[] = [];
  const clients: RealtimeClient[] = [];
  const url = (i: number) => `ws://127.0.0.1:${ports[i]}/`;
  const connect = async (i: number, user?: TestUser) => {
    const c = await RealtimeClient.connect(url(i), { token: user?.token, origin: "http://allowed.test" });
    clients.push(c);
    return c;
  };

  const startGateway = (i: number): ArenaNode => {
    const node = cluster.addNode(`rt-${i}-${Date.now().toString(36)}`, "realtime", { REALTIME_PORT: String(ports[i]) });
    nodes[i] = node;
    return node;
  };

  const waitReady = async (i: number) =>
    waitFor(
      async () => {
        const res = await fetch(`http://127.0.0.1:${ports[i]}/healthz`).catch(() => undefined);
        return res?.status === 200;
      },
      { timeoutMs: 60000, intervalMs: 200, what: `gateway ${i}` },
    ).catch((err: Error) => {
      throw new Error(`${err.message}\n${nodes[i]?.output()}`);
    });

  beforeAll(async () => {
    h = await startCore({ TRANSPORTER: NATS_URL, CORS_ORIGINS: "http://allowed.test" }, [ChatService]);
    ports.push(await freePort(), await freePort());
    // Realtime nodes only, joining the namespace of the core services running in this process.
    cluster = await startE2eCluster({
      prefix: "rt",
      namespace: h.config.namespace,
      database: false,
      nodes: {},
      env: {
        REDIS_URL,
        REALTIME_HOST: "127.0.0.1",
        CORS_ORIGINS: "http://allowed.test",
        PUBLIC_URL: h.config.publicUrl,
      },
      stopSignal: "SIGKILL",
    });
    startGateway(0);
    startGateway(1);
    [owner, mod, v1, v2] = await Promise.all([
      newUser(h, "own"),
      newUser(h, "mod"),
      newUser(h, "va"),
      newUser(h, "vb"),
    ]);
    room = createdChannel<{ channel: { id: string } }>(
      await owner.api.channels.create({ slug: `rt-${Date.now().toString(36)}`, title: "Realtime e2e" }),
    ).channel.id;
    ok(await owner.api.channels.addModerator(room, mod.id));
    await Promise.all([waitReady(0), waitReady(1)]);
  });

  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });

  afterAll(async () => {
    await cluster?.stop();
    await h?.stop();
  });

  it("delivers across nodes: one order per node, each sender's order everywhere", async () => {
    const a = await connect(0, owner);
    const b = await connect(1, mod);
    const watcherA = await connect(0);
    const watcherB = await connect(1);
    for (const c of [a, b, watcherA, watcherB]) await c.join(room);
    // Two senders on two nodes interleave.
    const sends: Promise<unknown>[] = [];
    for (let i = 0; i < 20; i++) {
      sends.push(a.say(room, `a${i}`), b.say(room, `b${i}`));
    }
    const replies = await Promise.all(sends);
    expect(replies.every((r) => (r as { type: string }).type === "ack")).toBe(true);
    await waitFor(() => watcherA.messages(room).length === 40 && watcherB.messages(room).length === 40, {
      timeoutMs: 10000,
    });
    const ids = (c: typeof a) => c.messages(room).map((m) => m.id);
    // Sockets on one node see that node's one order (it delivers from its one subscription).
    expect(ids(a)).toEqual(ids(watcherA));
    expect(ids(b)).toEqual(ids(watcherB));
    // Every node gets every message once. Core NATS orders one publisher's messages, not two publishers'
    // for two subscribers, so the interleaving may differ between nodes (clients order by the time-ordered id).
    expect([...ids(watcherB)].sort()).toEqual([...ids(watcherA)].sort());
    for (const watcher of [watcherA, watcherB]) {
      const texts = watcher.messages(room).map((m) => m.text as string);
      for (const sender of ["a", "b"])
        expect(texts.filter((t) => t.startsWith(sender))).toEqual([...Array(20).keys()].map((i) => `${sender}${i}`));
    }
  });

  it("rate limits a viewer at 20 messages per 30 s, and slow mode applies on the other node", async () => {
    const viewer = await connect(1, v1);
    await viewer.join(room);
    for (let i = 0; i < 20; i++) expect(await viewer.say(room, `spam ${i}`)).toMatchObject({ type: "ack" });
    expect(await viewer.say(room, "one too many")).toMatchObject({ type: "error", code: "RATE_LIMITED" });

    const ownerSock = await connect(0, owner);
    const other = await connect(1, v2);
    await ownerSock.join(room);
    await other.join(room);
    expect(await ownerSock.reply(ownerSock.send({ type: "mod", room, action: "slow", seconds: 30 }))).toMatchObject({
      type: "ack",
    });
    await other.waitFor((f) => f.type === "moderation" && (f.modes as { slowModeS: number }).slowModeS === 30);
    expect(await other.say(room, "first")).toMatchObject({ type: "ack" });
    expect(await other.say(room, "second")).toMatchObject({ type: "error", code: "SLOW_MODE" });
    await ownerSock.reply(ownerSock.send({ type: "mod", room, action: "slow", seconds: 0 }));
  });

  it("applies a ban made on one node on the other, and never lets a moderator ban the broadcaster", async () => {
    const modSock = await connect(0, mod);
    const target = await connect(1, v2);
    await modSock.join(room);
    await target.join(room);
    expect(await modSock.reply(modSock.send({ type: "mod", room, action: "ban", userId: owner.id }))).toMatchObject({
      type: "error",
      code: "FORBIDDEN",
    });
    expect(
      await modSock.reply(modSock.send({ type: "mod", room, action: "ban", userId: v2.id, reason: "e2e" })),
    ).toMatchObject({ type: "ack" });
    await target.waitFor(
      (f) => f.type === "moderation" && (f.change as { action?: string } | undefined)?.action === "ban",
    );
    expect(await target.say(room, "let me talk")).toMatchObject({ type: "error", code: "BANNED" });
  });

  it("closes only the socket sending malformed or oversize frames", async () => {
    const good = await connect(1, owner);
    const bad = await connect(1);
    const big = await connect(1);
    await good.join(room);
    bad.sendRaw(Buffer.from([0xff, 0xfe, 0x00]));
    big.sendRaw("x".repeat(64 * 1024));
    expect((await bad.waitClosed()).code).toBe(4000);
    expect((await big.waitClosed()).code).not.toBe(1000);
    expect(await good.say(room, "still connected")).toMatchObject({ type: "ack" });
  });

  it("counts viewers across nodes and drops a killed node's viewers within seconds", async () => {
    const onA = [await connect(0), await connect(0)];
    const onB = [await connect(1), await connect(1), await connect(1)];
    for (const c of [...onA, ...onB]) await c.join(room);
    await onA[0]!.waitFor((f) => f.type === "viewers" && f.count === 5, 15000);
    await nodes[1]!.kill("SIGKILL");
    const killedAt = Date.now();
    await onA[0]!.waitFor((f) => f.type === "viewers" && f.count === 2, 15000);
    // The killed node's count lives until its alive key expires; the survivor re-sums each tick.
    const settings = defaultRealtimeSettings(h.config);
    expect(Date.now() - killedAt).toBeLessThan(expiresWithin(settings.viewerNodeTtlMs, settings.viewerTickMs));
  });

  it("restarts a node: clients reconnect, acknowledged messages are all in history", async () => {
    startGateway(1);
    await waitReady(1);
    const sender = await connect(1, owner);
    await sender.join(room);
    const acked: string[] = [];
    for (let i = 0; i < 10; i++) acked.push((await sender.say(room, `before-restart ${i}`)).messageId as string);
    // Graceful restart: the socket is closed with "service restart", then the client comes back.
    await nodes[1]!.kill("SIGTERM");
    expect((await sender.waitClosed()).code).toBe(1012);
    startGateway(1);
    await waitReady(1);
    const back = await connect(1, owner);
    const watcher = await connect(0);
    await back.join(room);
    await watcher.join(room);
    expect(await back.say(room, "after restart")).toMatchObject({ type: "ack" });
    await watcher.waitFor((f) => f.type === "msg" && f.text === "after restart");
    const page = await h.broker.call<HistoryPage, object>("chat.history", { channelId: room, limit: 100 });
    const stored = new Set(page.items.map((m) => m.id));
    expect(acked.filter((id) => !stored.has(id))).toEqual([]);
  });
});
