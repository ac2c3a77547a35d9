/**
 * Two realtime gateways over real NATS (core subjects), each with its own
 * chat store: cross-node delivery, and per-user limits that follow the user
 * from one node to the other.
 */
import { NATS_URL, uniqueId, waitFor } from "../../../helpers/infra";
import { RealtimeClient } from "./realtime-client";
import { startRealtime, type RealtimeHarness } from "./realtime-harness";
import { token } from "./stand-ins";

describe("realtime gateways on two nodes over NATS", () => {
  let a: RealtimeHarness;
  let b: RealtimeHarness;
  const clients: RealtimeClient[] = [];
  const connect = async (h: RealtimeHarness, user: string) => {
    const c = await RealtimeClient.connect(h.url, { token: token(user) });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    const shared = {
      natsUrl: NATS_URL,
      namespace: uniqueId("rtx"),
      sendLimits: { windowMs: 30000, viewerMax: 3, privilegedMax: 100, duplicateWindowMs: 30000 },
    };
    a = await startRealtime(shared);
    b = await startRealtime(shared);
    for (const h of [a, b]) for (const room of ["limits", "dups", "slow"]) h.book.room(room, "owner", ["mod1"]);
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  afterAll(async () => {
    await a?.stop();
    await b?.stop();
  });

  /** Both nodes subscribed to the room's subject: a probe from node A reaches node B. */
  async function bridged(room: string, onB: RealtimeClient): Promise<void> {
    const probe = await connect(a, "mod1");
    await probe.join(room);
    let n = 0;
    await waitFor(async () => {
      await probe.say(room, `probe ${++n}`);
      return onB.messages(room).some((m) => (m.user as { id: string }).id === "mod1");
    });
  }

  it("gives the 20-per-30s allowance to the user, not to each node", async () => {
    const onA = await connect(a, "dana");
    const onB = await connect(b, "dana");
    await onA.join("limits");
    await onB.join("limits");
    await bridged("limits", onB);
    expect(await onA.say("limits", "one")).toMatchObject({ type: "ack" });
    expect(await onA.say("limits", "two")).toMatchObject({ type: "ack" });
    await waitFor(() => onB.messages("limits").filter((m) => (m.user as { id: string }).id === "dana").length === 2);
    expect(await onB.say("limits", "three")).toMatchObject({ type: "ack" });
    // Node B alone has seen one message from dana; the limit (3) counts node A's two as well.
    expect(await onB.say("limits", "four")).toMatchObject({ type: "error", code: "RATE_LIMITED" });
    await waitFor(() => onA.messages("limits").some((m) => m.text === "three"));
    expect(await onA.say("limits", "five")).toMatchObject({ type: "error", code: "RATE_LIMITED" });
  });

  it("suppresses a duplicate sent on the other node", async () => {
    const onA = await connect(a, "eve");
    const onB = await connect(b, "eve");
    await onA.join("dups");
    await onB.join("dups");
    await bridged("dups", onB);
    expect(await onA.say("dups", "Same words")).toMatchObject({ type: "ack" });
    await waitFor(() => onB.messages("dups").some((m) => m.text === "Same words"));
    expect(await onB.say("dups", "same WORDS")).toMatchObject({ type: "error", code: "DUPLICATE" });
  });

  it("keeps slow mode across nodes, and delivers a room's messages in one order on both", async () => {
    const mod = await connect(a, "mod1");
    await mod.join("slow");
    const onA = await connect(a, "finn");
    const onB = await connect(b, "finn");
    await onA.join("slow");
    await onB.join("slow");
    await bridged("slow", onB);
    for (let i = 0; i < 10; i++) mod.send({ type: "send", room: "slow", text: `ordered ${i}` });
    const ordered = (c: RealtimeClient) =>
      c
        .messages("slow")
        .map((m) => m.text as string)
        .filter((t) => t.startsWith("ordered"));
    await waitFor(() => ordered(onA).length === 10 && ordered(onB).length === 10);
    expect(ordered(onB)).toEqual(ordered(onA));
    expect(ordered(onA)).toEqual([...Array(10).keys()].map((i) => `ordered ${i}`));
    expect(await mod.reply(mod.send({ type: "mod", room: "slow", action: "slow", seconds: 60 }))).toMatchObject({
      type: "ack",
    });
    // Each node has its own chat store in this spec, so tell node B's gateway as the broadcast would.
    await waitFor(() => onA.frames.some((f) => f.type === "moderation"));
    const state = a.realtime.gateway.rooms.get("slow")?.moderation;
    if (!state) throw new Error("room state missing on node A");
    b.realtime.gateway.onModerationChanged(state, undefined);
    expect(await onA.say("slow", "first")).toMatchObject({ type: "ack" });
    await waitFor(() => onB.messages("slow").some((m) => m.text === "first"));
    const refused = await onB.say("slow", "second");
    expect(refused).toMatchObject({ type: "error", code: "SLOW_MODE" });
    expect(refused.retryAfterMs).toBeGreaterThan(50000);
  });
});
