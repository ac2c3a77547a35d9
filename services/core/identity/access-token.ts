import { SignJWT } from "jose";
import type { KeyObject } from "node:crypto";
import type { Role } from "../../../lib/auth/auth-user";

/**
 * Claims of the built-in issuer's access tokens: the same names Keycloak
 * uses where one exists (`preferred_username`, `sid`), so the gateway maps
 * both with one verifier.
 */
export interface AccessTokenInput {
  issuer: string;
  audience: string;
  ttlS: number;
  userId: string;
  username: string;
  roles: Role[];
  sessionId: string;
  kid: string;
  alg: string;
  key: KeyObject;
  now?: Date;
}

export async function signAccessToken(input: AccessTokenInput): Promise<{ token: string; expiresAt: Date }> {
  const nowS = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const exp = nowS + input.ttlS;
  const token = await new SignJWT({ preferred_username: input.username, roles: input.roles, sid: input.sessionId })
    .setProtectedHeader({ alg: input.alg, kid: input.kid, typ: "JWT" })
    .setIssuer(input.issuer)
    .setAudience(input.audience)
    .setSubject(input.userId)
    .setIssuedAt(nowS)
    .setNotBefore(nowS)
    .setExpirationTime(exp)
    .setJti(globalThis.crypto.randomUUID())
    .sign(input.key);
  return { token, expiresAt: new Date(exp * 1000) };
}
