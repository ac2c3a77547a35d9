import { decodeFrame, parseClientFrame } from "../../../../services/edge/realtime/protocol";

describe("client frame parsing", () => {
  it("parses every frame type", () => {
    expect(parseClientFrame('{"type":"join","room":"abc-1","cid":"c1"}')).toEqual({
      ok: true,
      frame: { type: "join", room: "abc-1", cid: "c1" },
    });
    expect(parseClientFrame('{"type":"send","room":"r","text":"hi"}')).toEqual({
      ok: true,
      frame: { type: "send", room: "r", text: "hi", cid: undefined },
    });
    expect(parseClientFrame('{"type":"delete","room":"r","messageId":"m1"}')).toMatchObject({
      ok: true,
      frame: { type: "delete", messageId: "m1" },
    });
    expect(parseClientFrame('{"type":"mod","room":"r","action":"timeout","userId":"u1","durationS":60}')).toMatchObject(
      {
        ok: true,
        frame: { type: "mod", command: { action: "timeout", userId: "u1", durationS: 60 } },
      },
    );
    expect(parseClientFrame('{"type":"ping"}')).toEqual({ ok: true, frame: { type: "ping", cid: undefined } });
  });

  it("distinguishes malformed frames from invalid fields", () => {
    expect(parseClientFrame("{oops")).toMatchObject({
      ok: false,
      code: "BAD_FRAME",
      message: "frame is not valid JSON",
    });
    expect(parseClientFrame("[1,2]")).toMatchObject({
      ok: false,
      code: "BAD_FRAME",
      message: "frame must be a JSON object",
    });
    expect(parseClientFrame('{"type":"dance"}')).toMatchObject({ ok: false, code: "UNKNOWN_TYPE" });
    expect(parseClientFrame('{"type":"join","room":"a.b"}')).toMatchObject({
      ok: false,
      code: "BAD_FRAME",
      message: expect.stringContaining("room"),
    });
    expect(parseClientFrame('{"type":"send","room":"r","text":5,"cid":"k"}')).toMatchObject({ ok: false, cid: "k" });
    expect(parseClientFrame('{"type":"join","room":"r","cid":"has space"}')).toMatchObject({ ok: false });
    expect(parseClientFrame('{"type":"mod","room":"r","action":"slow","seconds":-1}')).toMatchObject({
      ok: false,
      code: "BAD_FRAME",
    });
    expect(parseClientFrame('{"type":"mod","room":"r","action":"ban"}')).toMatchObject({
      ok: false,
      message: "userId is required",
    });
    expect(parseClientFrame('{"type":"mod","room":"r","action":"nuke"}')).toMatchObject({
      ok: false,
      message: "unknown moderation action",
    });
  });

  it("refuses invalid UTF-8 instead of patching it", () => {
    expect(decodeFrame(new Uint8Array([0x68, 0x69]).buffer)).toBe("hi");
    expect(decodeFrame(new Uint8Array([0xff, 0xfe]).buffer)).toBeNull();
  });

  it("refuses every kind of bad field in every frame type with BAD_FRAME, keeping the cid", () => {
    const bad: Record<string, unknown>[] = [
      { type: "join" },
      { type: "join", room: "" },
      { type: "join", room: 42 },
      { type: "join", room: "x".repeat(65) },
      { type: "join", room: "a*b" },
      { type: "join", room: "a b" },
      { type: "join", room: ["r"] },
      { type: "leave", room: null },
      { type: "send", room: "r" },
      { type: "send", room: "r", text: null },
      { type: "send", room: "r", text: ["hi"] },
      { type: "send", room: "r", text: { s: "hi" } },
      { type: "send", text: "hi" },
      { type: "delete", room: "r" },
      { type: "delete", room: "r", messageId: "" },
      { type: "delete", room: "r", messageId: "../x" },
      { type: "delete", room: "r", messageId: 7 },
      { type: "mod", room: "r" },
      { type: "mod", room: "r", action: 1 },
      { type: "mod", room: "r", action: "ban", userId: "" },
      { type: "mod", room: "r", action: "ban", userId: "u", reason: 5 },
      { type: "mod", room: "r", action: "ban", userId: "u", reason: "x".repeat(201) },
      { type: "mod", room: "r", action: "timeout", userId: "u" },
      { type: "mod", room: "r", action: "timeout", userId: "u", durationS: 0 },
      { type: "mod", room: "r", action: "timeout", userId: "u", durationS: 1.5 },
      { type: "mod", room: "r", action: "timeout", userId: "u", durationS: "60" },
      { type: "mod", room: "r", action: "timeout", userId: "u", durationS: 1209601 },
      { type: "mod", room: "r", action: "slow", seconds: 121 },
      { type: "mod", room: "r", action: "slow" },
      { type: "mod", room: "r", action: "followersOnly", enabled: "yes" },
      { type: "mod", room: "r", action: "followersOnly", enabled: true, minFollowAgeS: -1 },
      { type: "mod", room: "r", action: "followersOnly", enabled: true, minFollowAgeS: 7776001 },
      // Arena has no subscriptions: the mode is gone from the protocol.
      { type: "mod", room: "r", action: "subscribersOnly", enabled: true },
      { type: "mod", room: "r", action: "emoteOnly", enabled: 1 },
      { type: "mod", room: "r", action: "links", allowed: "false" },
      { type: "mod", room: "r", action: "blockTerm", term: "   " },
      { type: "mod", room: "r", action: "blockTerm", term: "x".repeat(101) },
      { type: "mod", room: "r", action: "unblockTerm" },
      { type: "auth" },
      { type: "auth", token: "" },
      { type: "auth", token: "has space" },
      { type: "auth", token: 12 },
    ];
    for (const frame of bad) {
      const parsed = parseClientFrame(JSON.stringify({ ...frame, cid: "k1" }));
      expect({ frame, parsed }).toMatchObject({ parsed: { ok: false, code: "BAD_FRAME", cid: "k1" } });
    }
    for (const cid of ["", "x".repeat(65), "tab\t", 5, null, "é"]) {
      expect(parseClientFrame(JSON.stringify({ type: "ping", cid }))).toMatchObject({ ok: false, code: "BAD_FRAME" });
    }
    expect(parseClientFrame(JSON.stringify({ cid: "k2" }))).toMatchObject({
      ok: false,
      code: "UNKNOWN_TYPE",
      cid: "k2",
    });
    expect(parseClientFrame(JSON.stringify({ type: 5 }))).toMatchObject({ ok: false, code: "UNKNOWN_TYPE" });
    expect(parseClientFrame('"join"')).toMatchObject({ ok: false, message: "frame must be a JSON object" });
    expect(parseClientFrame("null")).toMatchObject({ ok: false, message: "frame must be a JSON object" });
  });

  it("refuses the removed subscribers-only mode as an unknown moderation action; unique chat parses", () => {
    const frame = (o: object) => parseClientFrame(JSON.stringify({ type: "mod", room: "r", cid: "s1", ...o }));
    expect(frame({ action: "subscribersOnly", enabled: true })).toEqual({
      ok: false,
      code: "BAD_FRAME",
      message: expect.stringContaining("unknown moderation action"),
      cid: "s1",
    });
    expect(frame({ action: "uniqueChat", enabled: true })).toMatchObject({
      ok: true,
      frame: { command: { action: "uniqueChat", enabled: true } },
    });
    expect(frame({ action: "uniqueChat" })).toMatchObject({ ok: false, code: "BAD_FRAME" });
  });

  it("leaves long texts to the text checks (MESSAGE_TOO_LONG), not BAD_FRAME", () => {
    expect(parseClientFrame(JSON.stringify({ type: "send", room: "r", text: "x".repeat(6000) }))).toMatchObject({
      ok: true,
      frame: { type: "send" },
    });
  });
});
