/**
 * Token checks for the gateway. The shared JwtVerifier also exposes the
 * token's claims; when it does, the socket remembers `exp` so a connection
 * cannot outlive its token: the client refreshes with an `auth` frame, or
 * the socket is closed with 4003 at expiry.
 */
import type { AuthUser } from "../../../lib/auth/auth-user";
import type { TokenVerifier } from "../../../lib/auth/token-verifier";

interface ClaimsVerifier extends TokenVerifier {
  verifyToken(token: string): Promise<{ user: AuthUser; claims: { exp?: number } }>;
}

function exposesClaims(verifier: TokenVerifier): verifier is ClaimsVerifier {
  return typeof (verifier as Partial<ClaimsVerifier>).verifyToken === "function";
}

export interface VerifiedSocketToken {
  user: AuthUser;
  /** Epoch ms the token expires, or null when the verifier does not say. */
  expiresAt: number | null;
}

export async function verifySocketToken(verifier: TokenVerifier, token: string): Promise<VerifiedSocketToken> {
  if (!exposesClaims(verifier)) return { user: await verifier.verify(token), expiresAt: null };
  const { user, claims } = await verifier.verifyToken(token);
  return { user, expiresAt: typeof claims.exp === "number" ? claims.exp * 1000 : null };
}
