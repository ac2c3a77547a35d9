import { parseClientFrame } from "../../../../services/edge/realtime/protocol";
import { isTopicName } from "../../../../services/edge/realtime/topic-frames";

describe("public topic frames", () => {
  it("parses subscribe and unsubscribe", () => {
    expect(parseClientFrame('{"type":"subscribe","topic":"tournament:t-1","cid":"c1"}')).toEqual({
      ok: true,
      frame: { type: "subscribe", topic: "tournament:t-1", cid: "c1" },
    });
    expect(parseClientFrame('{"type":"unsubscribe","topic":"home:live"}')).toEqual({
      ok: true,
      frame: { type: "unsubscribe", topic: "home:live", cid: undefined },
    });
  });

  it("refuses names that are not <kind>:<id> (wildcards, dots, spaces, case, length)", () => {
    for (const bad of ["tournament", "tournament:", ":x", "Tournament:x", "t:a.b", "t:*", "t:>", "t:a b", "t:a:b"]) {
      expect(isTopicName(bad)).toBe(false);
      expect(parseClientFrame(JSON.stringify({ type: "subscribe", topic: bad }))).toMatchObject({
        ok: false,
        code: "BAD_FRAME",
      });
    }
    expect(isTopicName(`k:${"x".repeat(64)}`)).toBe(true);
    expect(isTopicName(`k:${"x".repeat(65)}`)).toBe(false);
    expect(isTopicName(`${"k".repeat(33)}:x`)).toBe(false);
    expect(parseClientFrame('{"type":"subscribe","topic":42}')).toMatchObject({ ok: false, code: "BAD_FRAME" });
  });
});
