import { createHash } from "node:crypto";
import { BoundedTtlCache } from "../cache";
import type { AuthUser } from "./auth-user";
import type { ArenaClaims } from "./claims";

/** What the verifier answers for a good token (kept here so this file does not import the verifier). */
export interface CachedVerification {
  user: AuthUser;
  claims: ArenaClaims;
}

export interface VerifiedTokenCacheOptions {
  /** Most tokens kept; the least recently used goes first. */
  maxEntries: number;
  /** Longest an entry is trusted without verifying the signature again. */
  ttlMs: number;
  now?: () => number;
}

/**
 * Bearer tokens whose signature and claims were verified, by the SHA-256 of
 * the token: a client sends the same access token on every request, and the
 * EdDSA/RSA verification was most of a small authenticated request's CPU
 * (issue 19: `/me` at 0.18x a bare server doing only that verification).
 *
 * What stays true with the cache:
 * - An entry ends at the token's `exp` (no clock tolerance added) or after
 *   `ttlMs`, whichever is first; an expired token is verified again and
 *   refused like before.
 * - Only successes are kept: a bad token costs a verification every time.
 * - Revocation is not cached: the gateways check the session id against the
 *   revoked sessions (mixins/gateway-identity, fed by the
 *   `identity.sessions.revoked` broadcast) after this, on every request.
 * - A signing key withdrawn from the JWKS still vouches for tokens verified
 *   with it for up to `ttlMs` (AUTH_TOKEN_CACHE_TTL_S).
 * - Callers get copies: nothing they change leaks into the next request.
 */
export class VerifiedTokenCache {
  private readonly entries: BoundedTtlCache<string, CachedVerification>;
  private readonly now: () => number;

  constructor(private readonly opts: VerifiedTokenCacheOptions) {
    this.now = opts.now ?? Date.now;
    this.entries = new BoundedTtlCache({ maxEntries: opts.maxEntries, ttlMs: opts.ttlMs, now: this.now });
  }

  get size(): number {
    return this.entries.size;
  }

  get(token: string): CachedVerification | undefined {
    const verified = this.entries.get(digest(token));
    return verified === undefined ? undefined : copy(verified);
  }

  set(token: string, verified: CachedVerification): void {
    const expMs = typeof verified.claims.exp === "number" ? verified.claims.exp * 1000 : 0;
    const until = Math.min(this.now() + this.opts.ttlMs, expMs);
    if (until <= this.now() || !this.entries.enabled) return;
    this.entries.set(digest(token), copy(verified), undefined, until);
  }

  clear(): void {
    this.entries.invalidateAll();
  }
}

function digest(token: string): string {
  return createHash("sha256").update(token).digest("base64");
}

function copy(v: CachedVerification): CachedVerification {
  return { user: { ...v.user, roles: [...v.user.roles] }, claims: { ...v.claims } };
}
