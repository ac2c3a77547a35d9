import { base64url, exportJWK, generateKeyPair, SignJWT, UnsecuredJWT } from "jose";
import { JwksCache } from "../../../../lib/auth/jwks-cache";
import { httpJwksFetcher } from "../../../../lib/auth/jwks-sources";
import { JwtVerifier } from "../../../../lib/auth/jwt-verifier";
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
      /./,
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
