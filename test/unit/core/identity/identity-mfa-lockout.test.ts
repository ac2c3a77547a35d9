import {
  base32Decode,
  base32Encode,
  hotp,
  otpauthUri,
  totpCode,
  verifyTotp,
} from "../../../../services/core/identity/totp";
import {
  afterFailure,
  afterSuccess,
  isLocked,
  LOCKOUT_BASE_MS,
  LOCKOUT_MAX_MS,
  retryAfterSeconds,
} from "../../../../services/core/identity/lockout";

describe("TOTP (RFC 6238)", () => {
  // RFC 6238 appendix B test vectors (SHA1, secret "12345678901234567890"), 8 digits.
  const rfcSecret = Buffer.from("12345678901234567890");
  it.each([
    [59, "94287082"],
    [1111111109, "07081804"],
    [1234567890, "89005924"],
    [2000000000, "69279037"],
  ])("matches the RFC vector at T=%i", (t, expected) => {
    expect(hotp(rfcSecret, Math.floor(t / 30), 8)).toBe(expected);
  });
  it("round-trips base32", () => {
    expect(base32Encode(rfcSecret)).toBe("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    expect(base32Decode("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").equals(rfcSecret)).toBe(true);
  });
  it("accepts the current and adjacent steps, refuses others and replays", () => {
    const secret = base32Encode(rfcSecret);
    const now = 1_700_000_000_000;
    const step = Math.floor(now / 30000);
    expect(verifyTotp(secret, totpCode(secret, now), now)).toBe(step);
    expect(verifyTotp(secret, totpCode(secret, now - 30000), now)).toBe(step - 1);
    expect(verifyTotp(secret, totpCode(secret, now - 90000), now)).toBeUndefined();
    expect(verifyTotp(secret, totpCode(secret, now), now, step)).toBeUndefined();
    expect(verifyTotp(secret, "12ab56", now)).toBeUndefined();
  });
  it("builds an otpauth URI", () => {
    expect(otpauthUri("ABC", "alice")).toBe(
      "otpauth://totp/Arena%3Aalice?secret=ABC&issuer=Arena&algorithm=SHA1&digits=6&period=30",
    );
  });
});

describe("lockout", () => {
  const now = new Date("2026-01-01T00:00:00Z");
  it("locks after five failures, doubles, caps, and resets on success", () => {
    let state = afterSuccess();
    for (let i = 0; i < 4; i++) state = afterFailure(state, now);
    expect(isLocked(state, now)).toBe(false);
    state = afterFailure(state, now);
    expect(isLocked(state, now)).toBe(true);
    expect(retryAfterSeconds(state, now)).toBe(LOCKOUT_BASE_MS / 1000);
    state = afterFailure(state, now);
    expect(retryAfterSeconds(state, now)).toBe((2 * LOCKOUT_BASE_MS) / 1000);
    for (let i = 0; i < 30; i++) state = afterFailure(state, now);
    expect(retryAfterSeconds(state, now)).toBe(LOCKOUT_MAX_MS / 1000);
    expect(isLocked(state, new Date(now.getTime() + LOCKOUT_MAX_MS + 1))).toBe(false);
    expect(afterSuccess()).toEqual({ failedLogins: 0, lockedUntil: null });
  });
});
