import { DEFAULT_CLOCK_TOLERANCE_S } from "../../lib/auth/jwt-verifier";

/**
 * Revoked session ids a gateway keeps in memory, each until every access
 * token of that session has expired. Kept fresh by the
 * `identity.sessions.revoked` broadcast, so checking a request costs a Map
 * lookup, never an action call.
 */
export class RevokedSessions {
  private readonly until = new Map<string, number>();

  /**
   * @param marginMs kept this long past the announced expiry: the verifier
   * still accepts a token for its clock tolerance after `exp`, so forgetting a
   * revocation exactly at `exp` would let its last tokens back in.
   */
  constructor(private readonly marginMs = (DEFAULT_CLOCK_TOLERANCE_S + 30) * 1000) {}

  add(sessionIds: string[], expiresAt: Date): void {
    const at = expiresAt.getTime() + this.marginMs;
    for (const id of sessionIds) this.until.set(id, Math.max(at, this.until.get(id) ?? 0));
  }

  isRevoked(sessionId: string | undefined, now = Date.now()): boolean {
    if (!sessionId) return false;
    const until = this.until.get(sessionId);
    if (until === undefined) return false;
    if (until <= now) {
      this.until.delete(sessionId);
      return false;
    }
    return true;
  }

  prune(now = Date.now()): void {
    for (const [id, until] of this.until) if (until <= now) this.until.delete(id);
  }

  get size(): number {
    return this.until.size;
  }
}

/**
 * Subjects already provisioned, so first-sight provisioning of Keycloak users
 * costs one action call per subject per gateway, not one per request.
 * Bounded: forgetting a subject only costs one idempotent call.
 */
export class SeenSubjects {
  private readonly seen = new Set<string>();
  constructor(private readonly max = 50_000) {}

  has(subject: string): boolean {
    return this.seen.has(subject);
  }

  add(subject: string): void {
    if (this.seen.size >= this.max) this.seen.clear();
    this.seen.add(subject);
  }
}
