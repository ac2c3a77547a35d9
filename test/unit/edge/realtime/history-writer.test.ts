import { HistoryWriter } from "../../../../services/edge/realtime/history-writer";
import type { ChatMessage } from "../../../../services/edge/realtime/protocol";

const msg = (n: number): ChatMessage => ({
  id: `m${n}`,
  room: "r",
  user: { id: "u", username: "u", badges: [] },
  text: `t${n}`,
  sentAt: n,
});

describe("HistoryWriter", () => {
  it("stores in batches and resolves each message only after its batch is stored", async () => {
    const batches: string[][] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const writer = new HistoryWriter(
      async (messages) => {
        await gate;
        batches.push(messages.map((m) => m.id));
      },
      { flushMs: 5, maxBatch: 3, maxBuffered: 100, onError: () => undefined },
    );
    const resolved: string[] = [];
    const all = [1, 2, 3, 4].map((n) => writer.append(msg(n)).then(() => resolved.push(`m${n}`)));
    await new Promise((r) => setTimeout(r, 20));
    expect(resolved).toEqual([]);
    release();
    await Promise.all(all);
    expect(batches).toEqual([["m1", "m2", "m3"], ["m4"]]);
    expect(resolved).toEqual(["m1", "m2", "m3", "m4"]);
  });

  it("retries a failed batch in order and reports the error", async () => {
    let failures = 2;
    const stored: string[] = [];
    const errors: string[] = [];
    const writer = new HistoryWriter(
      async (messages) => {
        if (failures-- > 0) throw new Error("store down");
        stored.push(...messages.map((m) => m.id));
      },
      { flushMs: 1, maxBatch: 10, maxBuffered: 100, onError: (e) => errors.push(e.message) },
    );
    await Promise.all([writer.append(msg(1)), writer.append(msg(2))]);
    expect(stored).toEqual(["m1", "m2"]);
    expect(errors).toEqual(["store down", "store down"]);
  });

  it("bounds the buffer and rejects what cannot be stored at shutdown", async () => {
    const writer = new HistoryWriter(async () => Promise.reject(new Error("down")), {
      flushMs: 1000,
      maxBatch: 10,
      maxBuffered: 2,
      onError: () => undefined,
    });
    const a = writer.append(msg(1));
    const b = writer.append(msg(2));
    await expect(writer.append(msg(3))).rejects.toThrow("history buffer full");
    await writer.stop(2);
    await expect(a).rejects.toThrow("history writer stopped");
    await expect(b).rejects.toThrow("history writer stopped");
    await expect(writer.append(msg(4))).rejects.toThrow("history writer stopped");
  });
});
