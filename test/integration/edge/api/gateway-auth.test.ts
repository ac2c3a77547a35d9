import { base64url, exportJWK, generateKeyPair, SignJWT, UnsecuredJWT, type JWK, type KeyLike } from "jose";
import { testConfig, waitFor } from "../../../helpers/infra";
import { startJwksServer, type JwksServer } from "../../../helpers/jwks-server";
import { startGateway, type ErrorBodyShape, type Gateway } from "./gateway-harness";

jest.setTimeout(30000);

interface WhoAmI {
  user: { id: string; username: string; roles: string[]; sessionId?: string } | null;
}

async function call(gw: Gateway, path: string, token?: string, method = "GET"): Promise<Response> {
  return fetch(`${gw.base}${path}`, { method, headers: token ? { authorization: `Bearer ${token}` } : {} });
}

async function expect401(res: Response): Promise<void> {
  expect(res.status).toBe(401);
  const body = (await res.json()) as ErrorBodyShape;
  expect(body.error.code).toBe("UNAUTHORIZED");
  expect(body.error.requestId).toBeTruthy();
}

describe("gateway auth (local JWKS server standing in for Keycloak)", () => {
  let kc: JwksServer;
  let gw: Gateway;

  beforeAll(async () => {
    kc = await startJwksServer();
    const config = await testConfig({ OIDC_ISSUER: kc.issuer, OIDC_JWKS_URL: kc.jwksUrl, JWT_ALGORITHMS: "RS256" });
    gw = await startGateway(config);
  });
  afterAll(async () => {
    await gw?.stop();
    await kc?.close();
  });

  it("auth required: 401 without a token, user in ctx.meta with one", async () => {
    await expect401(await call(gw, "/api/v1/t/me"));
    const res = await call(
      gw,
      "/api/v1/t/me",
      await kc.issue({ sub: "kc-42", username: "neo", realmRoles: ["creator", "offline_access"] }),
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as WhoAmI).user).toEqual({
      id: "kc-42",
      username: "neo",
      roles: ["viewer", "creator"],
      sessionId: "kc-session-1",
    });
  });

  it("auth optional: anonymous without a token, user with one, 401 with a bad one", async () => {
    const anon = await call(gw, "/api/v1/t/optional");
    expect(anon.status).toBe(200);
    expect(((await anon.json()) as WhoAmI).user).toBeNull();
    const authed = await call(gw, "/api/v1/t/optional", await kc.issue({ sub: "kc-7" }));
    expect(((await authed.json()) as WhoAmI).user?.id).toBe("kc-7");
    await expect401(await call(gw, "/api/v1/t/optional", "garbage"));
  });

  it("resolveUser hook: a Keycloak subject is provisioned once, on first sight", async () => {
    const token = await kc.issue({ sub: "kc-first-sight" });
    expect((await call(gw, "/api/v1/t/me", token)).status).toBe(200);
    expect((await call(gw, "/api/v1/t/me", token)).status).toBe(200);
    expect(gw.stubs.provisioned.filter((s) => s === "kc-first-sight")).toEqual(["kc-first-sight"]);
  });

  it("stream route: the raw body reaches the action as a stream, with URL params and content type/length in meta, past the JSON body limit", async () => {
    const body = Buffer.alloc(1_500_000, 7); // API_BODY_LIMIT is 1mb: stream routes are not parsed or capped by it
    const res = await fetch(`${gw.base}/api/v1/t/uploads/vid-1`, {
      method: "PUT",
      body,
      headers: { authorization: `Bearer ${await kc.issue({ sub: "uploader" })}`, "content-type": "video/mp4" },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      bytes: 1_500_000,
      id: "vid-1",
      contentType: "video/mp4",
      contentLength: 1_500_000,
      userId: "uploader",
    });
    await expect401(
      await fetch(`${gw.base}/api/v1/t/uploads/vid-1`, {
        method: "PUT",
        body: "x",
        headers: { "content-type": "video/mp4" },
      }),
    );
  });

  it("auth none: a token is ignored", async () => {
    const res = await call(gw, "/api/v1/t/public", await kc.issue({ sub: "kc-8" }));
    expect(((await res.json()) as WhoAmI).user).toBeNull();
  });

  it("roles: 403 without the role, 200 with it, admin always passes", async () => {
    const viewer = await call(gw, "/api/v1/t/creators", await kc.issue({ realmRoles: ["viewer"] }), "POST");
    expect(viewer.status).toBe(403);
    expect(((await viewer.json()) as ErrorBodyShape).error.code).toBe("FORBIDDEN");
    expect((await call(gw, "/api/v1/t/creators", await kc.issue({ clientRoles: ["creator"] }), "POST")).status).toBe(
      200,
    );
    expect((await call(gw, "/api/v1/t/creators", await kc.issue({ realmRoles: ["admin"] }), "POST")).status).toBe(200);
    await expect401(await call(gw, "/api/v1/t/creators", undefined, "POST"));
  });

  it("rejects a malformed Authorization header", async () => {
    const res = await fetch(`${gw.base}/api/v1/t/me`, {
      headers: { authorization: `Basic ${Buffer.from("a:b").toString("base64")}` },
    });
    await expect401(res);
  });

  const attacks: Array<[string, () => Promise<string>]> = [
    [
      "alg none",
      async () =>
        new UnsecuredJWT({ sub: "x", realm_access: { roles: ["admin"] } })
          .setIssuer(kc.issuer)
          .setAudience("arena")
          .setExpirationTime("5m")
          .encode(),
    ],
    [
      "HS256 signed with the RSA public key",
      async () => {
        const jwk = kc.currentPublicJwk();
        return new SignJWT({ sub: "x" })
          .setProtectedHeader({ alg: "HS256", kid: jwk.kid })
          .setIssuer(kc.issuer)
          .setAudience("arena")
          .setExpirationTime("5m")
          .sign(new TextEncoder().encode(JSON.stringify(jwk)));
      },
    ],
    ["expired", () => kc.issue({ expiresInS: -300 })],
    ["nbf in the future", () => kc.issue({ notBeforeS: 3600 })],
    ["wrong iss", () => kc.issue({ issuer: "http://127.0.0.1:1/realms/evil" })],
    ["missing aud", () => kc.issue({ audience: null })],
    ["unknown kid", () => kc.issue({ unpublishedKey: true })],
    ["garbage", async () => "eyJhbGciOiJSUzI1NiJ9.garbage.garbage"],
    [
      "tampered roles",
      async () => {
        const [h, , s] = (await kc.issue()).split(".");
        return `${h}.${base64url.encode(JSON.stringify({ sub: "x", iss: kc.issuer, aud: "arena", exp: 9999999999, realm_access: { roles: ["admin"] } }))}.${s}`;
      },
    ],
  ];
  it.each(attacks)("JWT attack rejected with 401: %s", async (_name, make) => {
    await expect401(await call(gw, "/api/v1/t/me", await make()));
  });

  it("key rotation: a token signed with a new kid is accepted after the JWKS is refetched", async () => {
    const fetchesBefore = kc.fetches();
    await kc.rotate({ dropOld: true });
    const res = await call(gw, "/api/v1/t/me", await kc.issue({ sub: "rotated" }));
    expect(res.status).toBe(200);
    expect(((await res.json()) as WhoAmI).user?.id).toBe("rotated");
    expect(kc.fetches()).toBeGreaterThan(fetchesBefore);
  });
});

describe("gateway auth with the built-in issuer (keys from identity.jwks over the broker)", () => {
  let gw: Gateway;
  let signingKey: KeyLike;
  let issuer: string;

  beforeAll(async () => {
    const { privateKey, publicKey } = await generateKeyPair("EdDSA");
    signingKey = privateKey;
    const jwk: JWK = { ...(await exportJWK(publicKey)), kid: "builtin-1", alg: "EdDSA", use: "sig" };
    const config = await testConfig({ PUBLIC_URL: "http://arena.test:3000" });
    issuer = "http://arena.test:3000/api/v1/auth";
    gw = await startGateway(config, { jwksKeys: [jwk], revokedSessionIds: ["sess-revoked"] });
  });
  afterAll(() => gw?.stop());

  const sign = (claims: Record<string, unknown>, iss = issuer) =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: "EdDSA", kid: "builtin-1" })
      .setSubject("u-1")
      .setIssuer(iss)
      .setAudience("arena")
      .setExpirationTime("5m")
      .sign(signingKey);

  it("accepts built-in tokens and maps roles and sid", async () => {
    const res = await call(
      gw,
      "/api/v1/t/me",
      await sign({ preferred_username: "ana", roles: ["organizer", "root"], sid: "sess-1" }),
    );
    expect(res.status).toBe(200);
    expect(((await res.json()) as WhoAmI).user).toEqual({
      id: "u-1",
      username: "ana",
      roles: ["viewer", "organizer"],
      sessionId: "sess-1",
    });
    expect(gw.stubs.jwksCalls).toBeGreaterThanOrEqual(1);
  });

  it("resolveUser hook: a revoked session's token is refused", async () => {
    const token = await sign({ roles: [], sid: "sess-revoked" });
    // The gateway loads revocations from identity in the background after start.
    await waitFor(async () => (await call(gw, "/api/v1/t/me", token)).status === 401, {
      what: "revoked session refused",
    });
    expect((await call(gw, "/api/v1/t/me", await sign({ roles: [], sid: "sess-live" }))).status).toBe(200);
  });

  it("rejects a built-in token with a foreign issuer", async () => {
    await expect401(await call(gw, "/api/v1/t/me", await sign({ roles: [] }, "http://evil.test/api/v1/auth")));
  });
});
