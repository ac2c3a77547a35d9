import { Errors } from "moleculer";
import { createLocalJWKSet, type JSONWebKeySet, type JWK, type JWTVerifyGetKey } from "jose";

/**
 * Holds the issuer's public keys. Keys are fetched lazily, kept for `ttlMs`,
 * and refetched early when a token names a `kid` we do not have (the issuer
 * rotated) — but at most once per `minRefetchIntervalMs`, so a flood of
 * tokens with made-up kids cannot turn the gateway into a JWKS DoS client.
 */
const FAILURE_BACKOFF_MS = 1000;

/**
 * The issuer's keys could not be loaded (identity service down, Keycloak
 * unreachable). Not the client's fault: the gateway answers 503, not 401,
 * so clients retry instead of throwing their session away.
 */
export class KeySourceUnavailableError extends Errors.MoleculerError {
  constructor(cause: unknown) {
    super(`Signing keys unavailable: ${(cause as Error)?.message ?? String(cause)}`, 503, "SERVICE_UNAVAILABLE");
  }
}

export type JwksFetcher = () => Promise<{ keys: JWK[] }>;

export interface JwksCacheOptions {
  fetchKeys: JwksFetcher;
  ttlMs?: number;
  minRefetchIntervalMs?: number;
  now?: () => number;
}

export class JwksCache {
  private readonly fetchKeys: JwksFetcher;
  private readonly ttlMs: number;
  private readonly minRefetchIntervalMs: number;
  private readonly now: () => number;
  private keySet?: JWTVerifyGetKey;
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private inFlight?: Promise<JWTVerifyGetKey>;
  private lastFailure?: { at: number; error: unknown };
  fetchCount = 0;

  constructor(opts: JwksCacheOptions) {
    this.fetchKeys = opts.fetchKeys;
    this.ttlMs = opts.ttlMs ?? 10 * 60_000;
    this.minRefetchIntervalMs = opts.minRefetchIntervalMs ?? 30_000;
    this.now = opts.now ?? Date.now;
  }

  /** A jose key resolver: picks the key by kid/alg, refetching once on a miss. */
  readonly getKey: JWTVerifyGetKey = async (header, token) => {
    const stale = !this.keySet || this.now() - this.fetchedAt > this.ttlMs;
    const keySet = stale ? await this.refreshOrKeep() : (this.keySet as JWTVerifyGetKey);
    try {
      return await keySet(header, token);
    } catch (err) {
      const noMatch = (err as { code?: string }).code === "ERR_JWKS_NO_MATCHING_KEY";
      if (!noMatch || stale || this.now() - this.fetchedAt < this.minRefetchIntervalMs) throw err;
      return (await this.refresh())(header, token);
    }
  };

  /** Past the ttl, a failed refetch keeps serving the keys we have rather than locking everyone out. */
  private async refreshOrKeep(): Promise<JWTVerifyGetKey> {
    try {
      return await this.refresh();
    } catch (err) {
      if (this.keySet) return this.keySet;
      throw err;
    }
  }

  private refresh(): Promise<JWTVerifyGetKey> {
    // A key source that just failed is not asked again for a second: a down
    // JWKS endpoint must not receive one fetch per incoming request.
    if (this.lastFailure && this.now() - this.lastFailure.at < FAILURE_BACKOFF_MS)
      return Promise.reject(this.lastFailure.error);
    // Concurrent misses share one fetch.
    this.inFlight ??= this.load().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async load(): Promise<JWTVerifyGetKey> {
    this.fetchCount += 1;
    // Count the attempt even if it fails, so a dead JWKS endpoint is not hammered.
    this.fetchedAt = this.now();
    try {
      const jwks = await this.fetchKeys();
      if (!jwks || !Array.isArray(jwks.keys)) throw new Error("JWKS response has no keys array");
      this.keySet = createLocalJWKSet(jwks as JSONWebKeySet);
      this.lastFailure = undefined;
      return this.keySet;
    } catch (error) {
      const wrapped = new KeySourceUnavailableError(error);
      this.lastFailure = { at: this.now(), error: wrapped };
      throw wrapped;
    }
  }
}
