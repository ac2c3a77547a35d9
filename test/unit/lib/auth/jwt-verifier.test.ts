import { base64url, exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type KeyLike } from "jose";
import { JwksCache, KeySourceUnavailableError } from "../../../../lib/auth/jwks-cache";
import { httpJwksFetcher } from "../../../../lib/auth/jwks-sources";
import { JwtVerifier, type JwtVerifierOptions } from "../../../../lib/auth/jwt-verifier";
import { VerifiedTokenCache } from "../../../../lib/auth/verified-token-cache";
import { startJwksServer, type JwksServer } from "../../../helpers/jwks-server";

describe("JwtVerifier (local JWKS server standing in for Keycloak)", () => {
  let kc: JwksServer;
  let verifier: JwtVerifier;

  beforeAll(async () => {
    kc = await startJwksServer();
    verifier = new JwtVerifier({
      issuer: kc.issuer,
      audience: kc.audience,
      algorithms: ["RS256"],
      flavor: "keycloak",
      keys: new JwksCache({ fetchKeys: httpJwksFetcher(kc.jwksUrl), minRefetchIntervalMs: 0 }),
    });
  });
  afterAll(() => kc.close());

  it("accepts a valid Keycloak token and maps its roles", async () => {
    const token = await kc.issue({ sub: "kc-9", username: "zed", realmRoles: ["creator", "offline_access"] });
    const { user, claims } = await verifier.verifyToken(token);
    expect(user).toEqual({ id: "kc-9", username: "zed", roles: ["viewer", "creator"], sessionId: "kc-session-1" });
    expect(claims.iss).toBe(kc.issuer);
  });

  const attacks: Array<[string, () => Promise<string>, RegExp]> = [
    [
      "alg none",
      async () =>
        new UnsecuredJWT({ sub: "x" }).setIssuer(kc.issuer).setAudience("arena").setExpirationTime("5m").encode() +
        "sig",
      /./,
    ],
    [
      "alg none (empty signature)",
      async () =>
        new UnsecuredJWT({ sub: "x" }).setIssuer(kc.issuer).setAudience("arena").setExpirationTime("5m").encode(),
      /malformed/,
    ],
    [
      "HS256 signed with the RSA public key",
      async () => {
        const jwk = kc.currentPublicJwk();
        const secret = new TextEncoder().encode(JSON.stringify(jwk));
        return new SignJWT({ sub: "x" })
          .setProtectedHeader({ alg: "HS256", kid: jwk.kid })
          .setIssuer(kc.issuer)
          .setAudience("arena")
          .setExpirationTime("5m")
          .sign(secret);
      },
      /algorithm not allowed/,
    ],
    ["expired", () => kc.issue({ expiresInS: -120 }), /expired/],
    ["nbf in the future", () => kc.issue({ notBeforeS: 600 }), /nbf/],
    ["wrong issuer", () => kc.issue({ issuer: "http://evil.example/realms/arena" }), /iss/],
    ["missing audience", () => kc.issue({ audience: null }), /aud/],
    ["wrong audience", () => kc.issue({ audience: "other-client" }), /aud/],
    ["unknown kid (key not published)", () => kc.issue({ unpublishedKey: true }), /unknown signing key/],
    ["ID token used as bearer", () => kc.issue({ extraClaims: { typ: "ID" } }), /access token/],
    ["garbage", async () => "not.a.jwt", /malformed/],
    [
      "tampered payload",
      async () => {
        const [h, , s] = (await kc.issue()).split(".");
        return `${h}.${base64url.encode(JSON.stringify({ sub: "admin", realm_access: { roles: ["admin"] } }))}.${s}`;
      },
      /bad signature/,
    ],
  ];

  it.each(attacks)("rejects %s with 401", async (_name, make, reason) => {
    const token = await make();
    const err = await verifier.verify(token).then(
      () => undefined,
      (e: { code?: number; message?: string }) => e,
    );
    expect(err).toBeDefined();
    expect(err?.code).toBe(401);
    expect(err?.message).toMatch(reason);
  });

  it("picks up a rotated key (new kid) without restart", async () => {
    const before = kc.fetches();
    await kc.rotate();
    const token = await kc.issue({ sub: "after-rotation" });
    expect((await verifier.verify(token)).id).toBe("after-rotation");
    expect(kc.fetches()).toBe(before + 1);
  });

  it("refuses to be configured with symmetric or none algorithms", () => {
    const keys = new JwksCache({ fetchKeys: async () => ({ keys: [] }) });
    expect(
      () => new JwtVerifier({ issuer: "i", audience: "a", algorithms: ["HS256"], flavor: "builtin", keys }),
    ).toThrow();
    expect(() => new JwtVerifier({ issuer: "i", audience: "a", algorithms: [], flavor: "builtin", keys })).toThrow();
  });

  it("accepts EdDSA tokens from the built-in issuer flavor", async () => {
    const { privateKey, publicKey } = await generateKeyPair("EdDSA");
    const jwk = { ...(await exportJWK(publicKey)), kid: "ed1", alg: "EdDSA" };
    const builtin = new JwtVerifier({
      issuer: "http://127.0.0.1:3000/api/v1/auth",
      audience: "arena",
      algorithms: ["EdDSA", "RS256"],
      flavor: "builtin",
      keys: new JwksCache({ fetchKeys: async () => ({ keys: [jwk] }) }),
    });
    const token = await new SignJWT({ preferred_username: "ana", roles: ["admin"], sid: "s9" })
      .setProtectedHeader({ alg: "EdDSA", kid: "ed1" })
      .setSubject("u-1")
      .setIssuer("http://127.0.0.1:3000/api/v1/auth")
      .setAudience("arena")
      .setExpirationTime("5m")
      .sign(privateKey);
    expect(await builtin.verify(token)).toEqual({
      id: "u-1",
      username: "ana",
      roles: ["viewer", "admin"],
      sessionId: "s9",
    });
  });
});

/** The verifier's own checks around jose, with a local EdDSA key (no HTTP). */
describe("JwtVerifier: input bounds, configuration, cache and error mapping", () => {
  const ISSUER = "http://127.0.0.1:3000/api/v1/auth";
  let privateKey: KeyLike;
  let keys: JwksCache;

  const make = (opts: Partial<JwtVerifierOptions> = {}) =>
    new JwtVerifier({ issuer: ISSUER, audience: "arena", algorithms: ["EdDSA"], flavor: "builtin", keys, ...opts });

  /** A token signed with the published key; `kid` and `pad` only change its length. */
  const sign = (claims: Record<string, unknown> = {}, opts: { expiresIn?: string | null; kid?: string } = {}) => {
    const jwt = new SignJWT({ preferred_username: "ana", sid: "s1", ...claims })
      .setProtectedHeader({ alg: "EdDSA", kid: opts.kid ?? "ed1" })
      .setSubject("u-1")
      .setIssuer(ISSUER)
      .setAudience("arena");
    if (opts.expiresIn !== null) jwt.setExpirationTime(opts.expiresIn ?? "5m");
    return jwt.sign(privateKey);
  };

  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (e: unknown) => e as { code?: number; message?: string },
    );

  beforeAll(async () => {
    const pair = await generateKeyPair("EdDSA");
    privateKey = pair.privateKey;
    const publicJwk = await exportJWK(pair.publicKey);
    // The same key under a few kids: the length test pads the header with a longer kid.
    const kids = ["ed1", ...Array.from({ length: 4 }, (_, i) => `ed1${"k".repeat(i + 1)}`)];
    keys = new JwksCache({
      fetchKeys: async () => ({ keys: kids.map((kid) => ({ ...publicJwk, kid, alg: "EdDSA" })) }),
    });
  });

  it("names what is wrong with a configuration it refuses", () => {
    expect(() => make({ algorithms: [] })).toThrow("JwtVerifier needs at least one pinned algorithm");
    for (const algorithms of [["HS256"], ["none"], ["None"], ["EdDSA", "HS512"], ["RS256", "none"]]) {
      expect({ algorithms, error: failureOf(() => make({ algorithms })) }).toEqual({
        algorithms,
        error: "JwtVerifier accepts only asymmetric algorithms",
      });
    }
    expect(() => make({ algorithms: ["EdDSA", "RS256", "ES256"] })).not.toThrow();
  });

  it("refuses a non-string token as malformed, before any key lookup", async () => {
    const getKey = jest.spyOn(keys, "getKey");
    for (const token of [null, undefined, { length: 5, toString: () => "a.b.c" }]) {
      const err = await failure(make().verify(token as unknown as string));
      expect({ token, code: err?.code, message: err?.message }).toEqual({
        token,
        code: 401,
        message: "Invalid token: malformed",
      });
    }
    expect(getKey).not.toHaveBeenCalled();
    getKey.mockRestore();
  });

  it("accepts a token of exactly 8192 characters and refuses one longer, unread", async () => {
    // Pad a claim until the token has the length wanted (the kid adjusts what base64url cannot reach).
    const tokenOfLength = async (length: number): Promise<string> => {
      for (let k = 0; k < 5; k++) {
        const kid = k === 0 ? "ed1" : `ed1${"k".repeat(k)}`;
        const base = (await sign({ pad: "" }, { kid })).length;
        for (let n = Math.max(0, Math.floor(((length - base) * 3) / 4) - 4); n < length; n++) {
          const token = await sign({ pad: "x".repeat(n) }, { kid });
          if (token.length === length) return token;
          if (token.length > length) break;
        }
      }
      throw new Error(`no token of length ${length}`);
    };
    const longest = await tokenOfLength(8192);
    expect((await make().verify(longest)).id).toBe("u-1");
    const tooLong = await tokenOfLength(8193);
    const getKey = jest.spyOn(keys, "getKey");
    const err = await failure(make().verify(tooLong));
    expect({ code: err?.code, message: err?.message }).toEqual({ code: 401, message: "Invalid token: malformed" });
    expect(getKey).not.toHaveBeenCalled();
    getKey.mockRestore();
  });

  it("refuses anything around the three compact parts as malformed", async () => {
    const token = await sign();
    expect((await make().verify(token)).id).toBe("u-1");
    for (const variant of [` ${token}`, `${token}\n`, `${token}!`, `x.${token}`, `${token}.x`]) {
      const err = await failure(make().verify(variant));
      expect({ variant, message: err?.message }).toEqual({ variant, message: "Invalid token: malformed" });
    }
  });

  it("requires exp: a token without one is refused", async () => {
    const err = await failure(make().verify(await sign({}, { expiresIn: null })));
    expect(err).toMatchObject({ code: 401, message: expect.stringMatching(/exp/) });
  });

  it("allows 30 s of clock skew by default, and exactly what is configured otherwise", async () => {
    const expiredAgo = (s: number) => sign({ exp: Math.floor(Date.now() / 1000) - s }, { expiresIn: null });
    expect((await make().verify(await expiredAgo(10))).id).toBe("u-1");
    expect(await failure(make().verify(await expiredAgo(60)))).toMatchObject({ message: "Invalid token: expired" });
    expect(await failure(make({ clockToleranceS: 5 }).verify(await expiredAgo(10)))).toMatchObject({
      code: 401,
      message: "Invalid token: expired",
    });
    expect((await make({ clockToleranceS: 120 }).verify(await expiredAgo(60))).id).toBe("u-1");
  });

  it("answers a cached token without verifying it again", async () => {
    const verifier = make({ cache: new VerifiedTokenCache({ maxEntries: 10, ttlMs: 60_000 }) });
    const token = await sign();
    const first = await verifier.verifyToken(token);
    const getKey = jest.spyOn(keys, "getKey");
    expect(await verifier.verifyToken(token)).toEqual(first);
    expect(getKey).not.toHaveBeenCalled();
    getKey.mockRestore();
  });

  it("passes a key source outage through (503 upstream), not as a bad token", async () => {
    const down = new JwksCache({
      fetchKeys: async () => {
        throw new Error("connect ECONNREFUSED");
      },
    });
    const err = await failure(make({ keys: down }).verify(await sign()));
    expect(err).toBeInstanceOf(KeySourceUnavailableError);
    expect(err).toMatchObject({ code: 503 });
  });

  it("maps jose's failures to short reasons and echoes nothing else", async () => {
    const token = await sign();
    const [header, payload, signature] = token.split(".") as [string, string, string];
    const flipped = `${signature[0] === "A" ? "B" : "A"}${signature.slice(1)}`;
    expect(await failure(make().verify(`${header}.${payload}.${flipped}`))).toMatchObject({
      code: 401,
      message: "Invalid token: bad signature",
    });
    const getKey = jest.spyOn(keys, "getKey").mockRejectedValueOnce(new Error("disk on fire at /var/keys"));
    expect(await failure(make().verify(token))).toMatchObject({
      code: 401,
      message: "Invalid token: could not be verified",
    });
    getKey.mockRestore();
  });
});

function failureOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}
