import { signMediaGrant, verifyMediaGrant } from "../../../../lib/media/signed-url";

const secret = "test-secret-of-enough-length-0123456789";
const query = (qs: string): Record<string, string> => Object.fromEntries(new URLSearchParams(qs));

describe("signed media URLs", () => {
  const now = 1_700_000_000;
  const qs = signMediaGrant({ prefix: "/media/live/s1/", expiresAt: now + 60 }, secret);

  it("accepts any path under the granted prefix until expiry", () => {
    expect(verifyMediaGrant("/media/live/s1/720p/seg1.ts", query(qs), secret, now)).toEqual({ ok: true });
    expect(verifyMediaGrant("/media/live/s1/master.m3u8", query(qs), secret, now + 60)).toEqual({ ok: true });
  });

  it("refuses expired, tampered, unsigned and out-of-prefix requests", () => {
    expect(verifyMediaGrant("/media/live/s1/master.m3u8", query(qs), secret, now + 61)).toEqual({
      ok: false,
      reason: "expired",
    });
    const tampered = query(qs.replace(/exp=\d+/, `exp=${now + 9999}`));
    expect(verifyMediaGrant("/media/live/s1/master.m3u8", tampered, secret, now)).toEqual({
      ok: false,
      reason: "bad-signature",
    });
    expect(verifyMediaGrant("/media/live/s1/master.m3u8", {}, secret, now)).toEqual({ ok: false, reason: "missing" });
    expect(verifyMediaGrant("/media/live/s2/master.m3u8", query(qs), secret, now)).toEqual({
      ok: false,
      reason: "wrong-path",
    });
    expect(verifyMediaGrant("/media/live/s1/../s2/x.ts", query(qs), secret, now)).toEqual({
      ok: false,
      reason: "wrong-path",
    });
    expect(verifyMediaGrant("/media/live/s1/master.m3u8", query(qs), "other-secret", now)).toEqual({
      ok: false,
      reason: "bad-signature",
    });
  });
});
