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
  it("needs all three parameters, and a whole number of seconds", () => {
    const full = query(qs);
    for (const dropped of ["p", "exp", "sig"]) {
      const partial = { ...full, [dropped]: undefined };
      expect({ dropped, check: verifyMediaGrant("/media/live/s1/a.ts", partial, secret, now) }).toEqual({
        dropped,
        check: { ok: false, reason: "missing" },
      });
    }
    // Signed with an expiry that is not a whole number: refused before the signature is looked at.
    for (const expiresAt of [now + 60.5, Number.NaN]) {
      const odd = query(signMediaGrant({ prefix: "/media/live/s1/", expiresAt }, secret));
      expect(verifyMediaGrant("/media/live/s1/a.ts", odd, secret, now)).toEqual({ ok: false, reason: "missing" });
    }
  });

  it("refuses a signature of another length without comparing it", () => {
    const full = query(qs);
    for (const sig of [full.sig?.slice(0, -1), `${full.sig}A`, "x"]) {
      expect(verifyMediaGrant("/media/live/s1/a.ts", { ...full, sig }, secret, now)).toEqual({
        ok: false,
        reason: "bad-signature",
      });
    }
  });

  it("never grants outside /media/, even with a valid signature", () => {
    const outside = query(signMediaGrant({ prefix: "/etc/", expiresAt: now + 60 }, secret));
    expect(verifyMediaGrant("/etc/passwd", outside, secret, now)).toEqual({ ok: false, reason: "wrong-path" });
  });

  it("checks expiry against the clock when no time is given", () => {
    const nowS = Math.floor(Date.now() / 1000);
    const live = query(signMediaGrant({ prefix: "/media/vod/v1/", expiresAt: nowS + 3600 }, secret));
    expect(verifyMediaGrant("/media/vod/v1/master.m3u8", live, secret)).toEqual({ ok: true });
    const past = query(signMediaGrant({ prefix: "/media/vod/v1/", expiresAt: nowS - 3600 }, secret));
    expect(verifyMediaGrant("/media/vod/v1/master.m3u8", past, secret)).toEqual({ ok: false, reason: "expired" });
  });
});
