import { jwtVerify, importJWK, decodeProtectedHeader } from "jose";
import {
  hashPassword,
  needsRehash,
  scryptForCost,
  verifyPassword,
} from "../../../../services/core/identity/password-hash";
import { passwordProblems } from "../../../../services/core/identity/password-policy";
import {
  decryptPrivateKey,
  generateSigningKey,
  planRotation,
  privateKeyObject,
  rotationDue,
  toJwks,
} from "../../../../services/core/identity/signing-keys";
import { signAccessToken } from "../../../../services/core/identity/access-token";
import {
  decideRefresh,
  generateRefreshToken,
  hashRefreshToken,
} from "../../../../services/core/identity/refresh-token";

const FAST = { N: 2 ** 10, r: 8, p: 1 };

describe("password hashing (scrypt, async)", () => {
  it("verifies the right password and refuses a wrong one", async () => {
    const stored = await hashPassword("correct horse battery", FAST);
    expect(stored.startsWith("scrypt$1024$8$1$")).toBe(true);
    await expect(verifyPassword("correct horse battery", stored)).resolves.toBe(true);
    await expect(verifyPassword("correct horse batterY", stored)).resolves.toBe(false);
  });
  it("salts every hash and flags weak parameters for rehash", async () => {
    const a = await hashPassword("same password here", FAST);
    const b = await hashPassword("same password here", FAST);
    expect(a).not.toBe(b);
    expect(needsRehash(a)).toBe(true);
  });
  it("hashes at the configured cost (log2 N), which travels in the hash", async () => {
    expect(scryptForCost(15)).toEqual({ N: 2 ** 15, r: 8, p: 1 });
    const stored = await hashPassword("correct horse battery", scryptForCost(11));
    expect(stored.startsWith("scrypt$2048$8$1$")).toBe(true);
    await expect(verifyPassword("correct horse battery", stored)).resolves.toBe(true);
  });
  it("treats malformed stored hashes as a mismatch, not a crash", async () => {
    await expect(verifyPassword("x", "md5$abc")).resolves.toBe(false);
    await expect(verifyPassword("x", "scrypt$99999999$8$1$aa$bb")).resolves.toBe(false);
  });
});

describe("password policy", () => {
  it("accepts a long unusual password", () => {
    expect(passwordProblems("violet-tundra-42-kettle", { username: "alice", email: "alice@x.io" })).toEqual([]);
  });
  it("lists every problem", () => {
    expect(passwordProblems("short")).toContain("must be at least 10 characters");
    expect(passwordProblems("password123")).toContain("is too common");
    expect(passwordProblems("aaaaaaaaaaaa")).toContain("must use at least 4 different characters");
    expect(passwordProblems("alice-the-great-1", { username: "Alice" })).toContain(
      "must not contain your username or email",
    );
    expect(passwordProblems("x".repeat(129)).some((p) => p.includes("at most"))).toBe(true);
  });
});

describe("signing keys", () => {
  const secret = "test-secret-with-enough-entropy-0123456789";
  it("encrypts private keys at rest and refuses the wrong secret", () => {
    const key = generateSigningKey(secret);
    expect(key.privateKeyEnc).not.toContain("PRIVATE KEY");
    expect(decryptPrivateKey(key.privateKeyEnc, secret)).toContain("PRIVATE KEY");
    expect(() => decryptPrivateKey(key.privateKeyEnc, "another-secret")).toThrow();
  });
  it("publishes current then previous public keys only, never retired ones", () => {
    const old = { ...generateSigningKey(secret), status: "retired" as const };
    const prev = { ...generateSigningKey(secret), status: "previous" as const };
    const cur = generateSigningKey(secret);
    const jwks = toJwks([old, prev, cur]);
    expect(jwks.keys.map((k) => k.kid)).toEqual([cur.id, prev.id]);
    for (const k of jwks.keys) {
      expect(k).toMatchObject({ kty: "OKP", crv: "Ed25519", alg: "EdDSA", use: "sig" });
      expect(k).not.toHaveProperty("d");
    }
  });
  it("plans rotation: current becomes previous, previous retires", () => {
    const prev = { ...generateSigningKey(secret), status: "previous" as const };
    const cur = generateSigningKey(secret);
    expect(planRotation([prev, cur])).toEqual([
      { id: prev.id, status: "retired" },
      { id: cur.id, status: "previous" },
    ]);
    expect(rotationDue(cur, new Date(cur.createdAt.getTime() + 1000), 60_000)).toBe(false);
    expect(rotationDue(cur, new Date(cur.createdAt.getTime() + 60_000), 60_000)).toBe(true);
    expect(rotationDue(undefined, new Date(), 60_000)).toBe(true);
  });
  it("signs access tokens the published JWKS verifies", async () => {
    const key = generateSigningKey(secret);
    const { token } = await signAccessToken({
      issuer: "http://127.0.0.1:3000/api/v1/auth",
      audience: "arena",
      ttlS: 60,
      userId: "u1",
      username: "alice",
      roles: ["viewer"],
      sessionId: "s1",
      kid: key.id,
      alg: key.alg,
      key: privateKeyObject(key, secret),
    });
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: "EdDSA", kid: key.id });
    const jwk = toJwks([key]).keys[0]!;
    const { payload } = await jwtVerify(token, await importJWK(jwk, "EdDSA"), {
      issuer: "http://127.0.0.1:3000/api/v1/auth",
      audience: "arena",
    });
    expect(payload).toMatchObject({ sub: "u1", preferred_username: "alice", roles: ["viewer"], sid: "s1" });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(60);
  });
});

describe("refresh token rotation", () => {
  const now = new Date("2026-01-01T00:00:00Z");
  const later = new Date("2026-02-01T00:00:00Z");
  const session = { id: "s1", userId: "u1", revokedAt: null, expiresAt: later };
  it("hashes random tokens", () => {
    const t = generateRefreshToken();
    expect(t.length).toBeGreaterThanOrEqual(43);
    expect(hashRefreshToken(t)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashRefreshToken(t)).not.toBe(hashRefreshToken(generateRefreshToken()));
  });
  it("rotates a fresh token, detects reuse of a used one, rejects revoked/expired/unknown", () => {
    expect(decideRefresh({ sessionId: "s1", usedAt: null, expiresAt: later }, session, now)).toEqual({
      kind: "rotate",
    });
    expect(decideRefresh({ sessionId: "s1", usedAt: now, expiresAt: later }, session, now)).toEqual({
      kind: "reuse",
      sessionId: "s1",
    });
    expect(
      decideRefresh({ sessionId: "s1", usedAt: null, expiresAt: later }, { ...session, revokedAt: now }, now),
    ).toEqual({ kind: "reject", reason: "revoked" });
    expect(decideRefresh({ sessionId: "s1", usedAt: null, expiresAt: now }, session, now)).toEqual({
      kind: "reject",
      reason: "expired",
    });
    expect(decideRefresh(null, null, now)).toEqual({ kind: "reject", reason: "unknown" });
    // Each half alone is unknown too; a live token in an expired (or just expiring) session is expired.
    expect(decideRefresh({ sessionId: "s1", usedAt: null, expiresAt: later }, null, now)).toEqual({
      kind: "reject",
      reason: "unknown",
    });
    expect(decideRefresh(null, session, now)).toEqual({ kind: "reject", reason: "unknown" });
    for (const sessionEnd of [now, new Date(now.getTime() - 1)])
      expect(
        decideRefresh({ sessionId: "s1", usedAt: null, expiresAt: later }, { ...session, expiresAt: sessionEnd }, now),
      ).toEqual({ kind: "reject", reason: "expired" });
  });
});
