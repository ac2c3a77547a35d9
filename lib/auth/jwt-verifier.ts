import { errors as joseErrors, jwtVerify } from "jose";
import { UnauthorizedError } from "../errors";
import type { AuthUser } from "./auth-user";
import { assertAccessTokenType, claimsToUser, type ArenaClaims, type ClaimsFlavor } from "./claims";
import { KeySourceUnavailableError, type JwksCache } from "./jwks-cache";
import type { TokenVerifier } from "./token-verifier";
import type { VerifiedTokenCache } from "./verified-token-cache";

/**
 * The one bearer-token check of Arena (REST gateway and realtime gateway).
 * Built-in issuer and Keycloak differ only in where keys come from
 * (JwksCache's fetcher) and in the claims flavor.
 */
export interface JwtVerifierOptions {
  issuer: string;
  audience: string;
  /** Pinned: a token whose header alg is not listed is rejected before any key is looked at. */
  algorithms: string[];
  keys: JwksCache;
  flavor: ClaimsFlavor;
  /** Allowed clock skew between issuer and us, for exp/nbf/iat. */
  clockToleranceS?: number;
  /** Verified tokens kept (by hash) until their exp or the cache's TTL; revocation is checked by the caller. */
  cache?: VerifiedTokenCache;
}

/** Default allowed skew: a token is still accepted this long after its `exp`. */
export const DEFAULT_CLOCK_TOLERANCE_S = 30;

export interface VerifiedToken {
  user: AuthUser;
  claims: ArenaClaims;
}

// Compact JWS: three base64url parts; anything else is not worth parsing.
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const MAX_TOKEN_LENGTH = 8192;

export class JwtVerifier implements TokenVerifier {
  constructor(private readonly opts: JwtVerifierOptions) {
    if (opts.algorithms.length === 0) throw new Error("JwtVerifier needs at least one pinned algorithm");
    if (opts.algorithms.some((a) => a.toLowerCase() === "none" || a.startsWith("HS"))) {
      // Symmetric algs would let anyone holding the public key forge tokens.
      throw new Error("JwtVerifier accepts only asymmetric algorithms");
    }
  }

  async verify(token: string): Promise<AuthUser> {
    return (await this.verifyToken(token)).user;
  }

  /**
   * The token's verification when it is still in the verified-token cache,
   * without verifying anything (undefined otherwise): lets the gateway know
   * the caller before it counts the request (request-auth.ts).
   */
  cachedVerification(token: string): VerifiedToken | undefined {
    if (typeof token !== "string" || token.length > MAX_TOKEN_LENGTH) return undefined;
    return this.opts.cache?.get(token);
  }

  async verifyToken(token: string): Promise<VerifiedToken> {
    if (typeof token !== "string" || token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token)) {
      throw new UnauthorizedError("Invalid token: malformed");
    }
    const cached = this.opts.cache?.get(token);
    if (cached) return cached;
    let claims: ArenaClaims;
    try {
      const result = await jwtVerify(token, this.opts.keys.getKey, {
        algorithms: this.opts.algorithms,
        issuer: this.opts.issuer,
        audience: this.opts.audience,
        clockTolerance: this.opts.clockToleranceS ?? DEFAULT_CLOCK_TOLERANCE_S,
        requiredClaims: ["exp", "sub"],
      });
      claims = result.payload as ArenaClaims;
    } catch (err) {
      if (err instanceof KeySourceUnavailableError) throw err;
      throw new UnauthorizedError(`Invalid token: ${reason(err)}`);
    }
    assertAccessTokenType(claims, this.opts.flavor);
    const verified = { user: claimsToUser(claims, this.opts.flavor, this.opts.audience), claims };
    this.opts.cache?.set(token, verified);
    return verified;
  }
}

/** A short reason for logs and the 401 body, without echoing token contents. */
function reason(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return "expired";
  if (err instanceof joseErrors.JWTClaimValidationFailed) return `${err.claim} claim check failed`;
  if (err instanceof joseErrors.JWKSNoMatchingKey) return "unknown signing key";
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return "algorithm not allowed";
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return "bad signature";
  if (err instanceof joseErrors.JOSEError) return "malformed";
  return "could not be verified";
}
