import type { EntityStore } from "../../../../mixins/db/entity-store";
import type { HistoryPage } from "../../../../services/media/chat/chat-history";
import { changeModeration } from "../../../../services/media/chat/chat-moderation";
import type { ModerationDoc } from "../../../../services/media/chat/chat.entities";
import { ok } from "../../../helpers/api-client";
import { freePort } from "../../../helpers/cluster";
import { waitFor } from "../../../helpers/infra";
import { RealtimeClient } from "./realtime-client";
import { startRealtime, type RealtimeHarness } from "./realtime-harness";

describe("realtime gateway (one node, embedded fan-out, real core and chat services, identity's tokens)", () => {
  let h: RealtimeHarness;
  let room1: string;
  const clients: RealtimeClient[] = [];
  /** The token and id of the user a spec calls `name` (registered on first use). */
  const token = async (name: string) => (await h.user(name)).token;
  const idOf = async (name: string) => (await h.user(name)).id;
  const connect = async (opts: Parameters<typeof RealtimeClient.connect>[1] = {}) => {
    const c = await RealtimeClient.connect(h.url, opts);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    // Metrics on (a free port for the reporter): one spec reads the gateway's broker metrics.
    const metricsPort = String(await freePort());
    h = await startRealtime(
      {
        anonymousJoinTimeoutMs: 1500,
        maxConnectionsPerUser: 2,
        viewerTickMs: 200,
        viewerSampleMs: 300,
        roomRefreshMs: 500,
      },
      { env: { METRICS_PORT: metricsPort } },
    );
    // A few users play every part (each costs two password hashes); rooms need distinct owners (one channel each).
    await h.users("alice", "bob", "carol", "mod1", "staff1", "owner", "owner2", "owner3", "owner3b");
    await h.users("owner4", "owner5", "owner6");
    room1 = await h.room("owner", ["mod1"]);
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("authenticates in the upgrade: valid token, query token, bad token refused, bad origin refused", async () => {
    const a = await connect({ token: await token("alice") });
    expect(a.frames[0]).toMatchObject({ type: "welcome", user: { id: await idOf("alice") }, protocol: "arena.v1" });
    expect(a.ws.protocol).toBe("arena.v1");
    const q = await connect({ token: await token("bob"), tokenInQuery: true });
    expect(q.frames[0]).toMatchObject({ user: { id: await idOf("bob") } });
    expect(await RealtimeClient.refused(h.url, { token: "garbage" })).toBe(401);
    // A token signed by another key (same claims shape) is refused as well.
    const [header, payload] = (await token("alice")).split(".");
    expect(await RealtimeClient.refused(h.url, { token: `${header}.${payload}.${"A".repeat(86)}` })).toBe(401);
    expect(await RealtimeClient.refused(h.url, { origin: "http://evil.test" })).toBe(403);
    const ok = await connect({ origin: "http://allowed.test" });
    expect(ok.frames[0]).toMatchObject({ type: "welcome", user: null });
  });

  it("limits connections per user", async () => {
    await connect({ token: await token("carol") });
    await connect({ token: await token("carol") });
    expect(await RealtimeClient.refused(h.url, { token: await token("carol") })).toBe(429);
  });

  it("delivers messages with acks, stores them, and serves history with a cursor", async () => {
    const alice = await connect({ token: await token("alice") });
    const viewer = await connect();
    await alice.join(room1);
    await viewer.join(room1);
    const acks: string[] = [];
    for (let i = 0; i < 5; i++) {
      const reply = await alice.say(room1, `hello ${i}`);
      expect(reply).toMatchObject({ type: "ack" });
      acks.push(reply.messageId as string);
    }
    await waitFor(() => viewer.messages(room1).length === 5);
    expect(viewer.messages(room1).map((m) => m.text)).toEqual([0, 1, 2, 3, 4].map((i) => `hello ${i}`));
    const { id: aliceId, username } = await h.user("alice");
    expect(viewer.messages(room1)[0]).toMatchObject({ user: { id: aliceId, username, badges: [] } });
    // Acknowledged means stored.
    const last2 = await h.broker.call<HistoryPage, object>("chat.history", { channelId: room1, limit: 2 });
    expect(last2.items.map((m) => m.text)).toEqual(["hello 3", "hello 4"]);
    const before = await h.broker.call<HistoryPage, object>("chat.history", {
      channelId: room1,
      limit: 10,
      before: last2.nextBefore,
    });
    expect(before.items.map((m) => m.id)).toEqual(acks.slice(0, 3));
    expect(before.nextBefore).toBeNull();
  });

  it("handles a socket's frames in order: send right after join (without waiting for joined) is accepted", async () => {
    const eager = await connect({ token: await token("alice") });
    const joinCid = eager.send({ type: "join", room: room1 });
    const sendCid = eager.send({ type: "send", room: room1, text: "pipelined hello" });
    expect((await eager.reply(joinCid)).type).toBe("joined");
    const reply = await eager.reply(sendCid);
    expect(reply).toMatchObject({ type: "ack" });
    await eager.waitFor((f) => f.type === "msg" && f.text === "pipelined hello");
    // Replies arrive in the order the frames were sent.
    const order = eager.frames.filter((f) => f.cid === joinCid || f.cid === sendCid).map((f) => f.cid);
    expect(order).toEqual([joinCid, sendCid]);
  });

  it("keeps anonymous viewers read-only", async () => {
    const anon = await connect();
    await anon.join(room1);
    expect(await anon.say(room1, "hi")).toMatchObject({ type: "error", code: "UNAUTHENTICATED" });
  });

  it("lets moderators delete messages; deleted messages stay out of history", async () => {
    const dave = await connect({ token: await token("alice") });
    const mod = await connect({ token: await token("mod1") });
    await dave.join(room1);
    await mod.join(room1);
    const sent = await dave.say(room1, "delete me please");
    const messageId = sent.messageId as string;
    expect(await dave.reply(dave.send({ type: "delete", room: room1, messageId }))).toMatchObject({
      type: "error",
      code: "FORBIDDEN",
    });
    expect(await mod.reply(mod.send({ type: "delete", room: room1, messageId }))).toMatchObject({
      type: "ack",
      messageId,
    });
    await dave.waitFor((f) => f.type === "deleted" && f.messageId === messageId);
    const page = await h.broker.call<HistoryPage, object>("chat.history", { channelId: room1, limit: 100 });
    expect(page.items.some((m) => m.id === messageId)).toBe(false);
  });

  it("applies moderation commands from moderators, durably, and refuses banning the broadcaster", async () => {
    const mod = await connect({ token: await token("mod1") });
    const erin = await connect({ token: await token("bob") });
    const [ownerId, mod1Id, erinId] = [await idOf("owner"), await idOf("mod1"), await idOf("bob")];
    await mod.join(room1);
    await erin.join(room1);
    expect(await mod.reply(mod.send({ type: "mod", room: room1, action: "ban", userId: ownerId }))).toMatchObject({
      type: "error",
      code: "FORBIDDEN",
    });
    expect(await erin.reply(erin.send({ type: "mod", room: room1, action: "ban", userId: mod1Id }))).toMatchObject({
      type: "error",
      code: "FORBIDDEN",
    });
    expect(
      await mod.reply(mod.send({ type: "mod", room: room1, action: "timeout", userId: erinId, durationS: 60 })),
    ).toMatchObject({ type: "ack" });
    await erin.waitFor(
      (f) => f.type === "moderation" && (f.change as { action?: string } | undefined)?.action === "timeout",
    );
    expect(await erin.say(room1, "am I muted")).toMatchObject({ type: "error", code: "TIMED_OUT" });
    const stored = await h.broker.call<{ bans: Record<string, unknown> }, object>("chat.getModeration", {
      channelId: room1,
    });
    expect(Object.keys(stored.bans)).toEqual([erinId]);
    // A site admin (global role granted in identity, not in the room's policy) cannot be banned by a moderator either.
    await h.grantAdmin("staff1");
    const staffId = await idOf("staff1");
    expect(await mod.reply(mod.send({ type: "mod", room: room1, action: "ban", userId: staffId }))).toMatchObject({
      type: "error",
      code: "FORBIDDEN",
      message: expect.stringMatching(/site admin/),
    });
    await mod.reply(mod.send({ type: "mod", room: room1, action: "untimeout", userId: erinId }));
    await erin.waitFor(
      (f) => f.type === "moderation" && (f.change as { action?: string } | undefined)?.action === "untimeout",
    );
    expect(await erin.say(room1, "free again")).toMatchObject({ type: "ack" });
  });

  it("closes only the socket that sends a malformed or oversize frame", async () => {
    const good = await connect({ token: await token("alice") });
    const bad = await connect();
    const big = await connect();
    await good.join(room1);
    bad.sendRaw("{not json");
    expect((await bad.waitClosed()).code).toBe(4000);
    big.sendRaw(JSON.stringify({ type: "send", room: room1, text: "x".repeat(20000) }));
    expect((await big.waitClosed()).code).toBe(1006);
    const validationError = await good.reply(good.send({ type: "join", room: "bad room!" }));
    expect(validationError).toMatchObject({ type: "error", code: "BAD_FRAME" });
    expect(await good.say(room1, "still here")).toMatchObject({ type: "ack" });
    expect(good.closed).toBeNull();
  });

  it("closes anonymous sockets that join no room, and reports viewer counts", async () => {
    const room2 = await h.room("owner2");
    const idle = await connect();
    expect((await idle.waitClosed(5000)).code).toBe(4001);
    const a = await connect();
    const b = await connect();
    // A room that is no channel is refused.
    expect(await a.reply(a.send({ type: "join", room: "no-such-channel" }))).toMatchObject({ type: "error" });
    await a.join(room2);
    await b.join(room2);
    await a.waitFor((f) => f.type === "viewers" && f.room === room2 && f.count === 2);
    // Browsers outside the room (home page cards) follow the sampled count on the channel's public topic.
    const browsing = await connect();
    browsing.send({ type: "subscribe", topic: `channel:${room2}` });
    expect(
      await browsing.waitFor((f) => f.type === "event" && f.topic === `channel:${room2}` && f.event === "viewers"),
    ).toMatchObject({ data: { channelId: room2, viewerCount: 2 } });
    expect(await h.broker.call("realtime.viewers", { channelId: room2 })).toEqual({
      channelId: room2,
      viewerCount: 2,
    });
    b.close();
    await a.waitFor((f) => f.type === "viewers" && f.room === room2 && f.count === 1);
  });

  it("pushes notifications to the user's own sockets", async () => {
    const g1 = await connect({ token: await token("alice") });
    const other = await connect({ token: await token("bob") });
    await h.broker.broadcast("notifications.push", {
      userId: await idOf("alice"),
      notification: { id: "n1", type: "follow", title: "New follower", createdAt: new Date().toISOString() },
    });
    await g1.waitFor((f) => f.type === "notification" && (f.notification as { id: string }).id === "n1");
    expect(other.frames.some((f) => f.type === "notification")).toBe(false);
    const stats = await h.broker.call<{ connections: number; messagesIn: number }>("realtime.stats");
    expect(stats.connections).toBeGreaterThanOrEqual(2);
    expect(stats.messagesIn).toBeGreaterThan(0);
  });

  it("enforces followers-only with a minimum follow age read at join", async () => {
    const room3 = await h.room("owner3", ["mod1"]);
    await h.follow("alice", room3, new Date(Date.now() - 3600_000));
    await h.follow("bob", room3);
    const mod = await connect({ token: await token("mod1") });
    await mod.join(room3);
    expect(
      await mod.reply(
        mod.send({ type: "mod", room: room3, action: "followersOnly", enabled: true, minFollowAgeS: 600 }),
      ),
    ).toMatchObject({ type: "ack" });
    const [oldfan, newfan, stranger] = [
      await connect({ token: await token("alice") }),
      await connect({ token: await token("bob") }),
      await connect({ token: await token("carol") }),
    ];
    for (const c of [oldfan, newfan, stranger]) await c.join(room3);
    expect(await oldfan.say(room3, "long time fan")).toMatchObject({ type: "ack" });
    const tooNew = await newfan.say(room3, "just followed");
    expect(tooNew).toMatchObject({ type: "error", code: "FOLLOWERS_ONLY" });
    expect(tooNew.retryAfterMs).toBeGreaterThan(540_000);
    expect(await stranger.say(room3, "hello?")).toMatchObject({ type: "error", code: "FOLLOWERS_ONLY" });
    expect(await mod.say(room3, "mods are exempt")).toMatchObject({ type: "ack" });
  });

  it("lets a viewer who follows after joining chat in followers-only mode without re-joining", async () => {
    const room3b = await h.room("owner3b", ["mod1"]);
    const mod = await connect({ token: await token("mod1") });
    await mod.join(room3b);
    expect(
      await mod.reply(mod.send({ type: "mod", room: room3b, action: "followersOnly", enabled: true })),
    ).toMatchObject({ type: "ack" });
    const fan = await connect({ token: await token("carol") });
    await fan.join(room3b);
    expect(await fan.say(room3b, "can I talk?")).toMatchObject({ type: "error", code: "FOLLOWERS_ONLY" });
    await h.follow("carol", room3b);
    let n = 0;
    const reply = await waitFor(
      async () => {
        const r = await fan.say(room3b, `followed now ${++n}`);
        return r.type === "ack" ? r : undefined;
      },
      { timeoutMs: 8000, intervalMs: 300, what: "a message accepted after following" },
    );
    expect(reply).toMatchObject({ type: "ack" });
  });

  it("emits stream.viewers.sampled for analytics and keeps broker metrics", async () => {
    const samples: { channelId: string; viewerCount: number; at: string }[] = [];
    h.broker.createService({
      name: "sampler",
      events: {
        "stream.viewers.sampled": {
          handler: (ctx: { params: { channelId: string; viewerCount: number; at: string } }) =>
            void samples.push(ctx.params),
        },
      },
    });
    await h.broker.waitForServices(["sampler"]);
    const room4 = await h.room("owner4");
    const a = await connect();
    const b = await connect();
    await a.join(room4);
    await b.join(room4);
    const sample = await waitFor(() => samples.find((s) => s.channelId === room4 && s.viewerCount === 2), {
      timeoutMs: 5000,
      what: "a viewer sample",
    });
    expect(Number.isNaN(Date.parse(sample.at))).toBe(false);
    const connections = h.broker.metrics.getMetric("arena.realtime.connections")?.get()?.value;
    expect(connections).toBeGreaterThanOrEqual(2);
    expect(h.broker.metrics.getMetric("arena.realtime.messages.out")?.get()?.value).toBeGreaterThan(0);
  });

  it("closes a socket when its token expires unless an auth frame refreshed it", async () => {
    await h.user("bob");
    // Real tokens of identity's key with a 3 s lifetime (the verifier's clock tolerance does not extend a socket).
    const stale = await connect({ token: await h.tokenExpiringIn("carol", 3) });
    const fresh = await connect({ token: await h.tokenExpiringIn("alice", 3) });
    expect(await fresh.reply(fresh.send({ type: "auth", token: await token("alice") }))).toMatchObject({
      type: "ack",
    });
    expect(await fresh.reply(fresh.send({ type: "auth", token: await token("bob") }))).toMatchObject({
      type: "error",
      code: "FORBIDDEN",
    });
    expect((await stale.waitClosed(8000)).code).toBe(4003);
    expect(await fresh.reply(fresh.send({ type: "ping" }))).toMatchObject({ type: "pong" });
    expect(fresh.closed).toBeNull();
  });

  it("picks up moderator changes from channels.moderation.changed without re-joining", async () => {
    const room5 = await h.room("owner5");
    const kim = await connect({ token: await token("bob") });
    await kim.join(room5);
    expect(await kim.reply(kim.send({ type: "mod", room: room5, action: "slow", seconds: 3 }))).toMatchObject({
      type: "error",
      code: "FORBIDDEN",
    });
    // The owner adds kim through the channels route; channels broadcasts the new policy.
    const owner5 = await h.user("owner5");
    ok(await owner5.api.channels.addModerator(room5, await idOf("bob")));
    await waitFor(
      async () => (await kim.reply(kim.send({ type: "mod", room: room5, action: "slow", seconds: 3 }))).type === "ack",
      { timeoutMs: 5000 },
    );
  });

  it("refuses frame floods, then closes a socket that keeps flooding", async () => {
    const flood = await connect();
    for (let i = 0; i < 80; i++) flood.send({ type: "ping" });
    const limited = await flood.waitFor((f) => f.type === "error" && f.code === "RATE_LIMITED");
    expect(limited.retryAfterMs).toBeGreaterThan(0);
    expect(flood.frames.filter((f) => f.type === "pong").length).toBeGreaterThanOrEqual(60);
    expect((await flood.waitClosed()).code).toBe(4029);
  });

  it("converges on stored moderation state even when a broadcast was missed", async () => {
    const room6 = await h.room("owner6");
    const liz = await connect({ token: await token("carol") });
    await liz.join(room6);
    // Store a ban without the broadcast, as if this node had been cut off when it happened.
    const chat = h.broker.getLocalService("chat") as unknown as { stores: { moderation: EntityStore<ModerationDoc> } };
    await changeModeration(
      chat.stores.moderation,
      room6,
      { action: "ban", userId: await idOf("carol") },
      await idOf("owner6"),
      Date.now(),
    );
    await waitFor(async () => (await liz.say(room6, `try ${Date.now()}`)).code === "BANNED", {
      timeoutMs: 5000,
      intervalMs: 200,
    });
  });
});
