/**
 * A local HTTP JWKS endpoint that issues Keycloak-shaped RS256 access tokens.
 * It stands in for Keycloak in tests: same issuer URL layout
 * (`<base>/realms/<realm>`), same certs path, same claim shapes.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from "jose";

interface SigningKey {
  kid: string;
  privateKey: KeyLike;
  publicJwk: JWK;
}

export interface IssueOptions {
  sub?: string;
  username?: string;
  realmRoles?: string[];
  clientRoles?: string[];
  /** Seconds from now; negative for already expired. */
  expiresInS?: number;
  /** Seconds from now for nbf. */
  notBeforeS?: number;
  issuer?: string;
  /** null omits aud. */
  audience?: string | null;
  kid?: string;
  /** Sign with a key that is not published. */
  unpublishedKey?: boolean;
  extraClaims?: Record<string, unknown>;
}

export interface JwksServer {
  issuer: string;
  jwksUrl: string;
  audience: string;
  /** How many times the certs endpoint was fetched. */
  fetches(): number;
  issue(opts?: IssueOptions): Promise<string>;
  /** Publishes a new key and signs with it from now on; old keys stay published unless dropOld. */
  rotate(opts?: { dropOld?: boolean }): Promise<string>;
  currentKid(): string;
  /** PEM-free public key of the current key as JWK (for HS256-confusion attacks). */
  currentPublicJwk(): JWK;
  close(): Promise<void>;
}

let kidSeq = 0;
async function newKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const kid = `k${Date.now().toString(36)}-${kidSeq++}`;
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
  return { kid, privateKey, publicJwk };
}

export async function startJwksServer(opts: { realm?: string; audience?: string } = {}): Promise<JwksServer> {
  const realm = opts.realm ?? "arena";
  const audience = opts.audience ?? "arena";
  let keys: SigningKey[] = [await newKey()];
  let current = keys[0] as SigningKey;
  let fetchCount = 0;
  const certsPath = `/realms/${realm}/protocol/openid-connect/certs`;

  const server: Server = createServer((req, res) => {
    if (req.method === "GET" && req.url === certsPath) {
      fetchCount += 1;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ keys: keys.map((k) => k.publicJwk) }));
      return;
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const issuer = `${base}/realms/${realm}`;

  return {
    issuer,
    jwksUrl: `${base}${certsPath}`,
    audience,
    fetches: () => fetchCount,
    currentKid: () => current.kid,
    currentPublicJwk: () => current.publicJwk,
    async issue(o: IssueOptions = {}) {
      const key = o.unpublishedKey ? await newKey() : current;
      const now = Math.floor(Date.now() / 1000);
      const claims: Record<string, unknown> = {
        typ: "Bearer",
        azp: audience,
        preferred_username: o.username ?? "player1",
        realm_access: { roles: o.realmRoles ?? ["offline_access", "uma_authorization"] },
        resource_access: o.clientRoles ? { [audience]: { roles: o.clientRoles } } : undefined,
        sid: "kc-session-1",
        ...o.extraClaims,
      };
      const jwt = new SignJWT(claims)
        .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: o.kid ?? key.kid })
        .setSubject(o.sub ?? "kc-user-1")
        .setIssuer(o.issuer ?? issuer)
        .setIssuedAt(now)
        .setExpirationTime(now + (o.expiresInS ?? 300));
      if (o.audience !== null) jwt.setAudience(o.audience ?? audience);
      if (o.notBeforeS !== undefined) jwt.setNotBefore(now + o.notBeforeS);
      return jwt.sign(key.privateKey);
    },
    async rotate(r = {}) {
      current = await newKey();
      keys = r.dropOld ? [current] : [...keys, current];
      return current.kid;
    },
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}
