import { publishToTopic } from "../../../../services/edge/realtime/realtime.events";
import { RealtimeClient, type Frame } from "./realtime-client";
import { startRealtime, type RealtimeHarness } from "./realtime-harness";

describe("realtime public topics (real WebSocket, events published through the broker)", () => {
  let h: RealtimeHarness;
  const clients: RealtimeClient[] = [];
  const connect = async (opts: Parameters<typeof RealtimeClient.connect>[1] = {}) => {
    const c = await RealtimeClient.connect(h.url, opts);
    clients.push(c);
    return c;
  };
  const topicReply = (c: RealtimeClient, cid: string): Promise<Frame> =>
    c.waitFor((f) => f.cid === cid && ["subscribed", "unsubscribed", "error"].includes(f.type));
  const events = (c: RealtimeClient, topic: string): Frame[] =>
    c.frames.filter((f) => f.type === "event" && f.topic === topic);

  beforeAll(async () => {
    h = await startRealtime({ anonymousJoinTimeoutMs: 700, maxTopicsPerSocket: 3 });
    // Registered now: anonymous sockets that join nothing are closed after 700 ms, so the spec must not wait on it.
    await h.user("alice");
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("delivers published events to subscribers only, anonymous or not, until they unsubscribe", async () => {
    const anon = await connect();
    const user = await connect({ token: (await h.user("alice")).token });
    const other = await connect();
    expect(anon.frames[0]).toMatchObject({ limits: { maxTopics: 3 } });
    expect(await topicReply(anon, anon.send({ type: "subscribe", topic: "tournament:t1" }))).toMatchObject({
      type: "subscribed",
      topic: "tournament:t1",
    });
    await topicReply(user, user.send({ type: "subscribe", topic: "tournament:t1" }));
    await topicReply(other, other.send({ type: "subscribe", topic: "tournament:t2" }));

    await publishToTopic(h.broker, "tournament:t1", "bracket.updated", { round: 1, matches: [{ id: "m1" }] });
    for (const c of [anon, user]) {
      const frame = await c.waitFor((f) => f.type === "event");
      expect(frame).toEqual({
        type: "event",
        topic: "tournament:t1",
        event: "bracket.updated",
        data: { round: 1, matches: [{ id: "m1" }] },
      });
    }
    await publishToTopic(h.broker, "tournament:t2", "match.updated", { id: "m9" });
    await other.waitFor((f) => f.type === "event" && f.event === "match.updated");
    expect(events(anon, "tournament:t2")).toHaveLength(0);
    expect(events(other, "tournament:t1")).toHaveLength(0);

    expect(await topicReply(anon, anon.send({ type: "unsubscribe", topic: "tournament:t1" }))).toMatchObject({
      type: "unsubscribed",
    });
    await publishToTopic(h.broker, "tournament:t1", "bracket.updated", { round: 2 });
    await user.waitFor((f) => f.type === "event" && (f.data as { round?: number }).round === 2);
    expect(events(anon, "tournament:t1")).toHaveLength(1);
  });

  it("validates names, caps topics per socket, and ignores malformed publishes", async () => {
    const c = await connect();
    expect(await topicReply(c, c.send({ type: "subscribe", topic: "tournament:a.b" }))).toMatchObject({
      type: "error",
      code: "BAD_FRAME",
    });
    for (const t of ["k:1", "k:2", "k:3", "k:3"])
      expect(await topicReply(c, c.send({ type: "subscribe", topic: t }))).toMatchObject({ type: "subscribed" });
    expect(await topicReply(c, c.send({ type: "subscribe", topic: "k:4" }))).toMatchObject({
      type: "error",
      code: "TOO_MANY_TOPICS",
    });
    await topicReply(c, c.send({ type: "unsubscribe", topic: "k:1" }));
    expect(await topicReply(c, c.send({ type: "subscribe", topic: "k:4" }))).toMatchObject({ type: "subscribed" });
    // A publisher bug (bad name) reaches nobody; the next valid event still arrives.
    h.realtime.gateway.publishToTopic({ topic: "k:*", event: "x", data: null });
    await publishToTopic(h.broker, "k:4", "ok", null);
    await c.waitFor((f) => f.type === "event" && f.event === "ok");
    expect(c.frames.filter((f) => f.type === "event")).toHaveLength(1);
  });

  it("keeps an anonymous socket that follows a topic open (only idle anonymous sockets are closed)", async () => {
    const watcher = await connect();
    await topicReply(watcher, watcher.send({ type: "subscribe", topic: "tournament:t1" }));
    const idle = await connect();
    expect(await idle.waitClosed()).toMatchObject({ code: 4001 });
    expect(watcher.closed).toBeNull();
    await publishToTopic(h.broker, "tournament:t1", "still.here", true);
    await watcher.waitFor((f) => f.type === "event" && f.event === "still.here");
  });
});
