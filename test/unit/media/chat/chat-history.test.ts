import { mayBePending, messageIdTime, toDoc, toPage } from "../../../../services/media/chat/chat-history";
import type { ChatMessageDoc } from "../../../../services/media/chat/chat.entities";
import { newMessageId } from "../../../../services/edge/realtime/message-ids";

/** Any gateway's 4-hex node tag. */
const NODE_TAG = "a1b2";

const T0 = 1_764_000_000_000;

function doc(id: string, text: string): ChatMessageDoc {
  return {
    ...toDoc({ id, room: "c1", user: { id: "u1", username: "ann", badges: [] }, text, sentAt: T0 }),
    createdAt: new Date(T0),
    updatedAt: new Date(T0),
  };
}

describe("chat history rules", () => {
  it("mints fixed-width ids that sort by time and decode back to it", () => {
    const a = newMessageId(T0, NODE_TAG);
    const b = newMessageId(T0, NODE_TAG);
    const c = newMessageId(T0 + 1, NODE_TAG);
    expect(a).toHaveLength(17);
    expect([c, b, a].sort()).toEqual([a, b, c]);
    expect(messageIdTime(a)).toBe(T0);
    expect(messageIdTime("not-an-id")).toBeNull();
  });

  it("turns newest-first rows into an oldest-first page with a cursor", () => {
    const rows = ["m5", "m4", "m3", "m2"].map((t, i) => doc(`id${9 - i}`, t));
    const page = toPage(rows, 3);
    expect(page.items.map((m) => m.text)).toEqual(["m3", "m4", "m5"]);
    expect(page.nextBefore).toBe("id7");
    expect(toPage(rows.slice(0, 2), 3).nextBefore).toBeNull();
    expect(page.items[0]).toEqual({
      id: "id7",
      channelId: "c1",
      user: { id: "u1", username: "ann", badges: [] },
      text: "m3",
      sentAt: new Date(T0).toISOString(),
    });
  });

  it("accepts early deletes only for recently minted ids", () => {
    expect(mayBePending(newMessageId(T0, NODE_TAG), T0 + 1000)).toBe(true);
    expect(mayBePending(newMessageId(T0, NODE_TAG), T0 + 10 * 60 * 1000)).toBe(false);
    expect(mayBePending(newMessageId(T0 + 60_000, NODE_TAG), T0)).toBe(false);
    expect(mayBePending("whatever", T0)).toBe(false);
  });
});
