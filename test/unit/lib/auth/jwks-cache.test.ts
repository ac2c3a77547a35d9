import { exportJWK, generateKeyPair, SignJWT, jwtVerify, type JWK } from "jose";
import { JwksCache } from "../../../../lib/auth/jwks-cache";

async function key(kid: string) {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: "RS256" } as JWK };
}

async function token(k: Awaited<ReturnType<typeof key>>) {
  return new SignJWT({}).setProtectedHeader({ alg: "RS256", kid: k.kid }).setExpirationTime("5m").sign(k.privateKey);
}

describe("JwksCache", () => {
  it("fetches once, refetches on unknown kid at most every minRefetchIntervalMs", async () => {
    const k1 = await key("one");
    const k2 = await key("two");
    let published: JWK[] = [k1.jwk];
    let clock = 1_000_000;
    let fetches = 0;
    const cache = new JwksCache({
      fetchKeys: async () => {
        fetches += 1;
        return { keys: published };
      },
      minRefetchIntervalMs: 30_000,
      now: () => clock,
    });

    await jwtVerify(await token(k1), cache.getKey);
    await jwtVerify(await token(k1), cache.getKey);
    expect(fetches).toBe(1);

    // Rotation happens, but within 30s of the last fetch an unknown kid does not refetch.
    published = [k1.jwk, k2.jwk];
    clock += 10_000;
    await expect(jwtVerify(await token(k2), cache.getKey)).rejects.toThrow();
    expect(fetches).toBe(1);

    clock += 25_000;
    await jwtVerify(await token(k2), cache.getKey);
    expect(fetches).toBe(2);

    // A made-up kid right after: no new fetch.
    const rogue = await key("rogue");
    await expect(jwtVerify(await token(rogue), cache.getKey)).rejects.toThrow();
    expect(fetches).toBe(2);
  });

  it("refetches after the ttl and shares one fetch between concurrent callers", async () => {
    const k1 = await key("a");
    let clock = 0;
    let fetches = 0;
    const cache = new JwksCache({
      fetchKeys: async () => {
        fetches += 1;
        return { keys: [k1.jwk] };
      },
      ttlMs: 60_000,
      now: () => clock,
    });
    const t = await token(k1);
    await Promise.all([jwtVerify(t, cache.getKey), jwtVerify(t, cache.getKey), jwtVerify(t, cache.getKey)]);
    expect(fetches).toBe(1);
    clock += 61_000;
    await jwtVerify(t, cache.getKey);
    expect(fetches).toBe(2);
  });

  it("fails when the source returns no keys array", async () => {
    const cache = new JwksCache({ fetchKeys: async () => ({}) as { keys: JWK[] } });
    const k = await key("x");
    await expect(jwtVerify(await token(k), cache.getKey)).rejects.toThrow(/no keys/);
  });
});

describe("JwksCache when the key source fails", () => {
  it("reports 503-style unavailability, backs off for a second, and keeps old keys past the ttl", async () => {
    const k1 = await key("a");
    let clock = 0;
    let fetches = 0;
    let up = false;
    const cache = new JwksCache({
      fetchKeys: async () => {
        fetches += 1;
        if (!up) throw new Error("connect ECONNREFUSED");
        return { keys: [k1.jwk] };
      },
      ttlMs: 60_000,
      now: () => clock,
    });
    const t = await token(k1);
    const err = await jwtVerify(t, cache.getKey).catch((e: { code?: number; name?: string }) => e);
    expect(err).toMatchObject({ code: 503, type: "SERVICE_UNAVAILABLE" });
    await expect(jwtVerify(t, cache.getKey)).rejects.toMatchObject({ code: 503 });
    expect(fetches).toBe(1);

    clock += 1500;
    up = true;
    await jwtVerify(t, cache.getKey);
    expect(fetches).toBe(2);

    up = false;
    clock += 61_000;
    await jwtVerify(t, cache.getKey);
    expect(fetches).toBe(3);
  });
});
