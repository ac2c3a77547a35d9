/**
 * Verified-token cache: never trusted past the token's exp or the TTL,
 * copies out, and (through JwtVerifier) a hit skips the signature check
 * while a bad token is checked (and refused) every time. Its LRU bound is
 * lib/cache's BoundedTtlCache, tested in test/unit/lib/cache.
 */
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from "jose";
import type { ArenaClaims } from "../../../../lib/auth/claims";
import { JwksCache } from "../../../../lib/auth/jwks-cache";
import { JwtVerifier } from "../../../../lib/auth/jwt-verifier";
import { VerifiedTokenCache, type CachedVerification } from "../../../../lib/auth/verified-token-cache";

const SECOND = 1000;

function verification(sub: string, expS: number): CachedVerification {
  const claims: ArenaClaims = { sub, exp: expS };
  return { user: { id: sub, username: sub, roles: ["viewer"], sessionId: `s-${sub}` }, claims };
}

describe("VerifiedTokenCache", () => {
  let now = 1_000_000 * SECOND;
  const clock = () => now;

  it("keeps an entry for the TTL, never past the token's exp", () => {
    const cache = new VerifiedTokenCache({ maxEntries: 10, ttlMs: 60 * SECOND, now: clock });
    cache.set("long", verification("a", now / SECOND + 3600));
    cache.set("short", verification("b", now / SECOND + 10));
    now += 9 * SECOND;
    expect(cache.get("long")?.user.id).toBe("a");
    expect(cache.get("short")?.user.id).toBe("b");
    now += 1 * SECOND; // the short token's exp
    expect(cache.get("short")).toBeUndefined();
    now += 50 * SECOND; // 60 s after the long one was stored
    expect(cache.get("long")).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("does not keep a token that is already expired", () => {
    const cache = new VerifiedTokenCache({ maxEntries: 10, ttlMs: 60 * SECOND, now: clock });
    cache.set("old", verification("a", now / SECOND - 1));
    expect(cache.get("old")).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it("hands out copies: a caller's change does not reach the next request", () => {
    const cache = new VerifiedTokenCache({ maxEntries: 10, ttlMs: 60 * SECOND, now: clock });
    cache.set("t", verification("u", now / SECOND + 600));
    const first = cache.get("t")!;
    first.user.roles.push("admin");
    first.user.id = "someone-else";
    expect(cache.get("t")?.user).toEqual({ id: "u", username: "u", roles: ["viewer"], sessionId: "s-u" });
  });
});

describe("JwtVerifier with a verified-token cache", () => {
  const issuer = "http://127.0.0.1:3000/api/v1/auth";
  let privateKey: KeyLike;
  let keyLookups = 0;
  let verifier: JwtVerifier;

  beforeAll(async () => {
    const pair = await generateKeyPair("EdDSA");
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: "ed1", alg: "EdDSA" };
    const keys = new JwksCache({ fetchKeys: async () => ({ keys: [jwk] }) });
    const getKey = keys.getKey;
    // Every signature check asks for the key: counting lookups counts verifications.
    (keys as { getKey: typeof getKey }).getKey = (...args: Parameters<typeof getKey>) => {
      keyLookups += 1;
      return getKey(...args);
    };
    verifier = new JwtVerifier({
      issuer,
      audience: "arena",
      algorithms: ["EdDSA"],
      flavor: "builtin",
      keys,
      cache: new VerifiedTokenCache({ maxEntries: 100, ttlMs: 60 * SECOND }),
    });
  });

  const sign = (sub: string) =>
    new SignJWT({ preferred_username: sub, sid: `s-${sub}` })
      .setProtectedHeader({ alg: "EdDSA", kid: "ed1" })
      .setSubject(sub)
      .setIssuer(issuer)
      .setAudience("arena")
      .setExpirationTime("5m")
      .sign(privateKey);

  it("verifies a token's signature once, then answers from the cache", async () => {
    const token = await sign("cached");
    keyLookups = 0;
    expect((await verifier.verify(token)).id).toBe("cached");
    expect((await verifier.verify(token)).id).toBe("cached");
    expect((await verifier.verifyToken(token)).claims.sid).toBe("s-cached");
    expect(keyLookups).toBe(1);
  });

  it("checks a bad token every time (failures are not cached)", async () => {
    const [h, p, s] = (await sign("tampered")).split(".");
    const forged = `${h}.${p}.${s.slice(0, -4)}AAAA`;
    keyLookups = 0;
    await expect(verifier.verify(forged)).rejects.toMatchObject({ code: 401 });
    await expect(verifier.verify(forged)).rejects.toMatchObject({ code: 401 });
    expect(keyLookups).toBe(2);
  });
});
