import { generateKeyPairSync, randomUUID } from "node:crypto";
import { base64url, SignJWT } from "jose";
import type { Service } from "moleculer";
import { builtInIssuer } from "../../../../lib/auth/issuer";
import type { IdentityThis } from "../../../../services/core/identity/identity.service";
import { newUser, startCore, type CoreHarness, type TestUser } from "../core-harness";

jest.setTimeout(60000);

/**
 * Forged variants of the built-in issuer's tokens, sent through the real
 * gateway to a route that needs a user. A correctly forged control token
 * must pass, so every refusal below is about the one thing each attack changes.
 */
describe("JWT attacks against the built-in issuer through the real gateway", () => {
  let h: CoreHarness;
  let user: TestUser;
  let identity: IdentityThis;

  beforeAll(async () => {
    h = await startCore();
    user = await newUser(h, "jwt");
    identity = h.broker.getLocalService("identity") as Service as IdentityThis;
  });
  afterAll(() => h?.stop());

  const status = async (token: string) => (await h.api.as(token).me.get()).status;

  async function forge(
    opts: { iss?: string; aud?: string | null; expOffsetS?: number; kid?: string; key?: "real" | "foreign" } = {},
  ): Promise<string> {
    const material = await identity.keys.signingMaterial();
    const key = opts.key === "foreign" ? generateKeyPairSync("ed25519").privateKey : material.key;
    const now = Math.floor(Date.now() / 1000);
    const jwt = new SignJWT({ preferred_username: user.username, roles: ["viewer", "admin"], sid: randomUUID() })
      .setProtectedHeader({ alg: "EdDSA", kid: opts.kid ?? material.kid, typ: "JWT" })
      .setIssuer(opts.iss ?? builtInIssuer(h.config))
      .setSubject(user.id)
      .setIssuedAt(now - 3600)
      .setExpirationTime(now + (opts.expOffsetS ?? 300));
    if (opts.aud !== null) jwt.setAudience(opts.aud ?? h.config.auth.audience);
    return jwt.sign(key);
  }

  it("control: a correctly signed token is accepted", async () => {
    expect(await status(user.token)).toBe(200);
    expect(await status(await forge())).toBe(200);
  });

  it("alg none is refused", async () => {
    const [, payload] = user.token.split(".");
    const header = base64url.encode(JSON.stringify({ alg: "none", typ: "JWT" }));
    expect(await status(`${header}.${payload}.`)).toBe(401);
  });

  it("HS256 signed with the public key is refused", async () => {
    const material = await identity.keys.signingMaterial();
    const jwks = await identity.keys.jwks();
    const publicJwk = jwks.keys[0]!;
    for (const secret of [
      new TextEncoder().encode(JSON.stringify(publicJwk)),
      base64url.decode(publicJwk.x as string),
    ]) {
      const token = await new SignJWT({ preferred_username: user.username, roles: ["admin"] })
        .setProtectedHeader({ alg: "HS256", kid: material.kid })
        .setIssuer(builtInIssuer(h.config))
        .setAudience(h.config.auth.audience)
        .setSubject(user.id)
        .setIssuedAt()
        .setExpirationTime("5m")
        .sign(secret);
      expect(await status(token)).toBe(401);
    }
  });

  it("an expired token is refused", async () => {
    expect(await status(await forge({ expOffsetS: -600 }))).toBe(401);
  });

  it("a wrong issuer is refused", async () => {
    expect(await status(await forge({ iss: "https://evil.example/api/v1/auth" }))).toBe(401);
  });

  it("a missing or wrong audience is refused", async () => {
    expect(await status(await forge({ aud: null }))).toBe(401);
    expect(await status(await forge({ aud: "another-app" }))).toBe(401);
  });

  it("an unknown kid (key the issuer never published) is refused", async () => {
    expect(await status(await forge({ kid: "unknown-kid", key: "foreign" }))).toBe(401);
    // A foreign key claiming the real kid fails the signature check.
    expect(await status(await forge({ key: "foreign" }))).toBe(401);
  });

  it("a tampered payload is refused", async () => {
    const [header, payload, signature] = user.token.split(".");
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload as string))) as Record<string, unknown>;
    claims.roles = ["viewer", "admin"];
    const tampered = `${header}.${base64url.encode(JSON.stringify(claims))}.${signature}`;
    expect(await status(tampered)).toBe(401);
  });
});
