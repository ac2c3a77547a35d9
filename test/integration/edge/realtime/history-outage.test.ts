/**
 * When the chat store is down long enough for the gateway's history buffer
 * to fill, new messages are refused before fan-out: nobody sees a message
 * that was never stored, and the refusal does not count against the sender.
 */
import { waitFor } from "../../../helpers/infra";
import { RealtimeClient } from "./realtime-client";
import { startRealtime, type RealtimeHarness } from "./realtime-harness";

describe("realtime gateway while chat history cannot be stored", () => {
  let h: RealtimeHarness;
  let room: string;
  const clients: RealtimeClient[] = [];

  beforeAll(async () => {
    h = await startRealtime({ historyMaxBuffered: 2, historyFlushMs: 10 });
    room = await h.room("owner");
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await h?.stop();
  });

  it("refuses messages once the buffer is full, without broadcasting or rate-counting them", async () => {
    const alice = await RealtimeClient.connect(h.url, { token: (await h.user("alice")).token });
    clients.push(alice);
    await alice.join(room);
    expect(await alice.say(room, "stored")).toMatchObject({ type: "ack" });
    const chat = h.broker.getLocalService("chat");
    if (!chat) throw new Error("chat service missing");
    await h.broker.destroyService(chat);
    // Two messages wait for the store (no ack yet); the buffer is now full.
    const pending = [
      alice.send({ type: "send", room, text: "pending 1" }),
      alice.send({ type: "send", room, text: "pending 2" }),
    ];
    await waitFor(() => alice.messages(room).length === 3);
    const stats = () => h.realtime.gateway.deps.metrics.stats.messagesIn;
    const acceptedBefore = stats();
    const refused = await alice.say(room, "not stored");
    expect(refused).toMatchObject({ type: "error", code: "INTERNAL" });
    expect(stats()).toBe(acceptedBefore);
    expect(alice.frames.some((f) => pending.includes(f.cid as string) && f.type === "ack")).toBe(false);
  });
});
