/**
 * Clients read a room's history after `joined` (web/src/lib/chat-room-sync.ts).
 * A message the node accepted just before the join is delivered to the
 * members it had then, and waits in the write buffer up to historyFlushMs:
 * the join stores it before answering, so the history read right after
 * `joined` holds it. The buffer's interval is long here (2 s) so that a join
 * that did not flush would answer long before the message is stored.
 */
import type { HistoryPage } from "../../../../services/media/chat/chat-history";
import { RealtimeClient } from "./realtime-client";
import { startRealtime, type RealtimeHarness } from "./realtime-harness";

describe("realtime join: what the node accepted before `joined` is in the history read after it", () => {
  let h: RealtimeHarness;
  let room: string;
  const clients: RealtimeClient[] = [];

  beforeAll(async () => {
    h = await startRealtime({ historyFlushMs: 2000 });
    room = await h.room("owner");
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await h?.stop();
  });

  it("stores the buffered message before answering the join", async () => {
    const alice = await RealtimeClient.connect(h.url, { token: (await h.user("alice")).token });
    const viewer = await RealtimeClient.connect(h.url);
    clients.push(alice, viewer);
    await alice.join(room);
    const sendCid = alice.send({ type: "send", room, text: "just before the join" });
    // Fanned out (alice hears her own message) but not stored yet: no ack within the 2 s buffer interval.
    await alice.waitFor((f) => f.type === "msg" && f.text === "just before the join");
    expect(alice.frames.some((f) => f.cid === sendCid)).toBe(false);
    const started = Date.now();
    await viewer.join(room);
    const page = await h.broker.call<HistoryPage, object>("chat.history", { channelId: room, limit: 10 });
    expect(page.items.map((m) => m.text)).toEqual(["just before the join"]);
    expect(Date.now() - started).toBeLessThan(1500);
    // The viewer joined after the fan-out: the history is its only way to see the message.
    expect(viewer.messages(room)).toEqual([]);
    expect(await alice.reply(sendCid)).toMatchObject({ type: "ack" });
  });
});
