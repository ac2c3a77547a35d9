/**
 * Two realtime gateways in one namespace over the real NATS: node A beside
 * the core and chat services, node B a gateway alone that reaches them over
 * the transporter. Cross-node delivery, per-user limits that follow the user
 * from one node to the other, and moderation state that reaches node B
 * through chat's real broadcast.
 */
import { NATS_URL, waitFor } from "../../../helpers/infra";
import { RealtimeClient } from "./realtime-client";
import { startRealtime, type RealtimeHarness, type RealtimeNode } from "./realtime-harness";

describe("realtime gateways on two nodes over NATS", () => {
  let a: RealtimeHarness;
  let b: RealtimeNode;
  const rooms: Record<string, string> = {};
  const clients: RealtimeClient[] = [];
  const connect = async (node: RealtimeNode, user: string) => {
    const c = await RealtimeClient.connect(node.url, { token: (await a.user(user)).token });
    clients.push(c);
    return c;
  };
  const idOf = async (user: string) => (await a.user(user)).id;

  beforeAll(async () => {
    a = await startRealtime(
      { sendLimits: { windowMs: 30000, viewerMax: 3, privilegedMax: 100, duplicateWindowMs: 30000 } },
      { env: { TRANSPORTER: NATS_URL } },
    );
    b = await a.startSecondNode();
    const names = ["limits", "dups", "slow", "unique"];
    await a.users("mod1", "dana", "eve", "gus", "hal", "finn", ...names.map((room) => `own${room}`));
    // One channel per user: each room has its own owner.
    for (const room of names) rooms[room] = await a.room(`own${room}`, ["mod1"]);
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  afterAll(async () => {
    await a?.stop();
  });

  /** Both nodes subscribed to the room's subject: a probe from node A reaches node B. */
  async function bridged(room: string, onB: RealtimeClient): Promise<void> {
    const probe = await connect(a, "mod1");
    const mod1 = await idOf("mod1");
    await probe.join(room);
    let n = 0;
    await waitFor(async () => {
      await probe.say(room, `probe ${++n}`);
      return onB.messages(room).some((m) => (m.user as { id: string }).id === mod1);
    });
  }

  /** Node B's own copy of the room's moderation state (read, never written by the spec). */
  const stateOnB = (room: string) => b.realtime.gateway.rooms.get(room)?.moderation;

  it("gives the 20-per-30s allowance to the user, not to each node", async () => {
    const room = rooms.limits as string;
    const dana = await idOf("dana");
    const onA = await connect(a, "dana");
    const onB = await connect(b, "dana");
    await onA.join(room);
    await onB.join(room);
    await bridged(room, onB);
    expect(await onA.say(room, "one")).toMatchObject({ type: "ack" });
    expect(await onA.say(room, "two")).toMatchObject({ type: "ack" });
    await waitFor(() => onB.messages(room).filter((m) => (m.user as { id: string }).id === dana).length === 2);
    expect(await onB.say(room, "three")).toMatchObject({ type: "ack" });
    // Node B alone has seen one message from dana; the limit (3) counts node A's two as well.
    expect(await onB.say(room, "four")).toMatchObject({ type: "error", code: "RATE_LIMITED" });
    await waitFor(() => onA.messages(room).some((m) => m.text === "three"));
    expect(await onA.say(room, "five")).toMatchObject({ type: "error", code: "RATE_LIMITED" });
  });

  it("suppresses a duplicate sent on the other node", async () => {
    const room = rooms.dups as string;
    const onA = await connect(a, "eve");
    const onB = await connect(b, "eve");
    await onA.join(room);
    await onB.join(room);
    await bridged(room, onB);
    expect(await onA.say(room, "Same words")).toMatchObject({ type: "ack" });
    await waitFor(() => onB.messages(room).some((m) => m.text === "Same words"));
    expect(await onB.say(room, "same WORDS")).toMatchObject({ type: "error", code: "DUPLICATE" });
  });

  it("unique chat: refuses on node B a text another user sent on node A within 30 s", async () => {
    const room = rooms.unique as string;
    const mod = await connect(a, "mod1");
    await mod.join(room);
    const gus = await connect(a, "gus");
    const hal = await connect(b, "hal");
    await gus.join(room);
    await hal.join(room);
    await bridged(room, hal);
    expect(await mod.reply(mod.send({ type: "mod", room, action: "uniqueChat", enabled: true }))).toMatchObject({
      type: "ack",
    });
    // The command went to chat from node A; node B learns it only from chat's broadcast.
    await waitFor(() => stateOnB(room)?.modes.uniqueChat === true, { what: "unique chat on node B" });
    expect(await gus.say(room, "First!")).toMatchObject({ type: "ack" });
    await waitFor(() => hal.messages(room).some((m) => m.text === "First!"));
    const refused = await hal.say(room, "first!");
    expect(refused).toMatchObject({ type: "error", code: "UNIQUE_CHAT" });
    expect(refused.retryAfterMs).toBeGreaterThan(20000);
    expect(await hal.say(room, "second")).toMatchObject({ type: "ack" });
  });

  it("keeps slow mode across nodes, and delivers a room's messages in one order on both", async () => {
    const room = rooms.slow as string;
    const mod = await connect(a, "mod1");
    await mod.join(room);
    const onA = await connect(a, "finn");
    const onB = await connect(b, "finn");
    await onA.join(room);
    await onB.join(room);
    await bridged(room, onB);
    for (let i = 0; i < 10; i++) mod.send({ type: "send", room, text: `ordered ${i}` });
    const ordered = (c: RealtimeClient) =>
      c
        .messages(room)
        .map((m) => m.text as string)
        .filter((t) => t.startsWith("ordered"));
    await waitFor(() => ordered(onA).length === 10 && ordered(onB).length === 10);
    expect(ordered(onB)).toEqual(ordered(onA));
    expect(ordered(onA)).toEqual([...Array(10).keys()].map((i) => `ordered ${i}`));
    expect(await mod.reply(mod.send({ type: "mod", room, action: "slow", seconds: 60 }))).toMatchObject({
      type: "ack",
    });
    await waitFor(() => stateOnB(room)?.modes.slowModeS === 60, { what: "slow mode on node B" });
    expect(await onA.say(room, "first")).toMatchObject({ type: "ack" });
    await waitFor(() => onB.messages(room).some((m) => m.text === "first"));
    const refused = await onB.say(room, "second");
    expect(refused).toMatchObject({ type: "error", code: "SLOW_MODE" });
    expect(refused.retryAfterMs).toBeGreaterThan(50000);
  });
});
