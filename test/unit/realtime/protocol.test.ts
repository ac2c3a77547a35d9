import { decodeFrame, parseClientFrame } from "../../../services/realtime/protocol";

describe("client frame parsing", () => {
  it("parses every frame type", () => {
    expect(parseClientFrame('{"type":"join","room":"abc-1","cid":"c1"}')).toEqual({ ok: true, frame: { type: "join", room: "abc-1", cid: "c1" } });
    expect(parseClientFrame('{"type":"send","room":"r","text":"hi"}')).toEqual({ ok: true, frame: { type: "send", room: "r", text: "hi", cid: undefined } });
    expect(parseClientFrame('{"type":"delete","room":"r","messageId":"m1"}')).toMatchObject({ ok: true, frame: { type: "delete", messageId: "m1" } });
    expect(parseClientFrame('{"type":"mod","room":"r","action":"timeout","userId":"u1","durationS":60}')).toMatchObject({
      ok: true,
      frame: { type: "mod", command: { action: "timeout", userId: "u1", durationS: 60 } },
    });
    expect(parseClientFrame('{"type":"ping"}')).toEqual({ ok: true, frame: { type: "ping", cid: undefined } });
  });

  it("distinguishes malformed frames from invalid fields", () => {
    expect(parseClientFrame("{oops")).toMatchObject({ ok: false, code: "BAD_FRAME", message: "frame is not valid JSON" });
    expect(parseClientFrame("[1,2]")).toMatchObject({ ok: false, code: "BAD_FRAME", message: "frame must be a JSON object" });
    expect(parseClientFrame('{"type":"dance"}')).toMatchObject({ ok: false, code: "UNKNOWN_TYPE" });
    expect(parseClientFrame('{"type":"join","room":"a.b"}')).toMatchObject({ ok: false, code: "BAD_FRAME", message: expect.stringContaining("room") });
    expect(parseClientFrame('{"type":"send","room":"r","text":5,"cid":"k"}')).toMatchObject({ ok: false, cid: "k" });
    expect(parseClientFrame('{"type":"join","room":"r","cid":"has space"}')).toMatchObject({ ok: false });
    expect(parseClientFrame('{"type":"mod","room":"r","action":"slow","seconds":-1}')).toMatchObject({ ok: false, code: "BAD_FRAME" });
    expect(parseClientFrame('{"type":"mod","room":"r","action":"ban"}')).toMatchObject({ ok: false, message: "userId is required" });
    expect(parseClientFrame('{"type":"mod","room":"r","action":"nuke"}')).toMatchObject({ ok: false, message: "unknown moderation action" });
  });

  it("refuses invalid UTF-8 instead of patching it", () => {
    expect(decodeFrame(new Uint8Array([0x68, 0x69]).buffer)).toBe("hi");
    expect(decodeFrame(new Uint8Array([0xff, 0xfe]).buffer)).toBeNull();
  });
});
