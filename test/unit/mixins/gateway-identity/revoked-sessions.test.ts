import { DEFAULT_CLOCK_TOLERANCE_S } from "../../../../lib/auth/jwt-verifier";
import { RevokedSessions, SeenSubjects } from "../../../../mixins/gateway-identity/revoked-sessions";

describe("revoked sessions kept by gateways", () => {
  it("refuses a revoked session until its tokens have expired, then forgets it", () => {
    const revoked = new RevokedSessions(0);
    const now = 1_000_000;
    revoked.add(["s1", "s2"], new Date(now + 900_000));
    expect(revoked.isRevoked("s1", now)).toBe(true);
    expect(revoked.isRevoked("s3", now)).toBe(false);
    expect(revoked.isRevoked(undefined, now)).toBe(false);
    // A later, shorter announcement never shortens the window.
    revoked.add(["s1"], new Date(now + 1000));
    expect(revoked.isRevoked("s1", now + 5000)).toBe(true);
    expect(revoked.isRevoked("s1", now + 900_001)).toBe(false);
    revoked.prune(now + 900_001);
    expect(revoked.size).toBe(0);
  });

  it("by default keeps refusing through the verifier's clock tolerance after the tokens' exp", () => {
    const revoked = new RevokedSessions();
    const exp = 2_000_000;
    revoked.add(["s1"], new Date(exp));
    // The verifier still accepts the token until exp + DEFAULT_CLOCK_TOLERANCE_S.
    expect(revoked.isRevoked("s1", exp + DEFAULT_CLOCK_TOLERANCE_S * 1000)).toBe(true);
    revoked.prune(exp + DEFAULT_CLOCK_TOLERANCE_S * 1000);
    expect(revoked.size).toBe(1);
    expect(revoked.isRevoked("s1", exp + 10 * 60_000)).toBe(false);
  });

  it("remembers provisioned subjects within a bound", () => {
    const seen = new SeenSubjects(2);
    seen.add("a");
    seen.add("b");
    expect(seen.has("a")).toBe(true);
    seen.add("c");
    expect(seen.has("c")).toBe(true);
    expect(seen.has("a")).toBe(false);
  });
});
