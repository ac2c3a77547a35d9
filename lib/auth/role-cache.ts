/**
 * Other users' global roles (admin, editor, ...), for decisions about a user
 * who is not the caller: chat refusing a moderator who bans a site admin,
 * badges. Read through `identity.userRoles` in batches and kept for `ttlMs`;
 * the `user.roles.changed` broadcast replaces an entry at once, so the TTL only
 * bounds how stale a node that missed a broadcast can be.
 *
 * Order: identity gives every change of a user's roles the next version, and
 * both the broadcast and the fetch's answer carry it. Two quick changes (admin
 * granted, then removed) can reach a node out of order (different senders over
 * NATS), and a fetch in flight can answer after a newer broadcast: whatever
 * arrives, the entry only moves to a higher version, so the node never goes
 * back to roles that were already replaced. A version is remembered as long as
 * its entry is held (the TTL, or until evicted by `maxEntries` newer entries).
 */
import { BoundedTtlCache } from "../cache";
import type { Role } from "./auth-user";

/** A user's roles as of one version of them (0: never changed since the account was created, or no such user). */
export interface VersionedRoles {
  roles: Role[];
  version: number;
}

export type RolesFetcher = (userIds: string[]) => Promise<Array<{ userId: string } & VersionedRoles>>;

/** What an id the fetch left out (an unknown user) counts as: no roles, older than any change. */
const NO_ROLES: VersionedRoles = { roles: [], version: 0 };

export class RoleCache {
  private readonly entries: BoundedTtlCache<string, VersionedRoles>;

  constructor(
    private readonly fetch: RolesFetcher,
    private readonly ttlMs = 60_000,
    maxEntries = 50_000,
    private readonly now: () => number = Date.now,
  ) {
    this.entries = new BoundedTtlCache({ maxEntries, ttlMs, now });
  }

  /** Roles of each id; unknown users have none. */
  async rolesOf(userIds: string[]): Promise<Map<string, Role[]>> {
    const result = new Map<string, Role[]>();
    const missing: string[] = [];
    const t = this.now();
    for (const id of new Set(userIds)) {
      const hit = this.entries.get(id, t);
      if (hit !== undefined) result.set(id, hit.roles);
      else missing.push(id);
    }
    if (missing.length > 0) {
      const generation = this.entries.generation();
      const fetched = new Map((await this.fetch(missing)).map((e) => [e.userId, e]));
      // The caller is answered with what the cache holds afterwards: a newer broadcast's roles win over the fetch's.
      for (const id of missing) result.set(id, this.offer(id, fetched.get(id) ?? NO_ROLES, t, generation).roles);
    }
    return result;
  }

  async roles(userId: string): Promise<Role[]> {
    return (await this.rolesOf([userId])).get(userId) ?? [];
  }

  /**
   * From `user.roles.changed`: the roles as of `version`, no fetch needed (`at`: when read, which the TTL counts
   * from). Ignored when the entry already holds that version or a newer one (a late copy of an older change).
   */
  set(userId: string, roles: Role[], version: number, at = this.now()): void {
    this.offer(userId, { roles, version }, at);
  }

  /** The user's roles changed (what to is not known): fetched again next time, fetches in flight not kept. */
  forget(userId: string): void {
    this.entries.invalidate(userId);
  }

  /**
   * Keeps `candidate` unless the entry is as new or newer; returns what the cache says now. A fill passes the
   * `generation` it read before fetching: after a `forget` the fill is not stored (its caller still gets it).
   */
  private offer(userId: string, candidate: VersionedRoles, at: number, generation?: number): VersionedRoles {
    const held = this.entries.get(userId);
    if (held !== undefined && held.version >= candidate.version) return held;
    this.entries.set(userId, candidate, generation, at + this.ttlMs);
    return candidate;
  }
}
