/**
 * Other users' global roles (admin, editor, ...), for decisions about a user
 * who is not the caller: chat refusing a moderator who bans a site admin,
 * badges. Read through `identity.userRoles` in batches and kept for `ttlMs`;
 * the `user.roles.changed` broadcast replaces an entry at once, so the TTL only
 * bounds how stale a node that missed a broadcast can be. A fetch in flight
 * when a broadcast arrives may have read the old roles (a removed `admin`):
 * the broadcast moves the cache's generation and that fetch's fill is refused
 * (the generation is cache-wide: any user's change refuses every fill in
 * flight, which only costs a fetch again; role changes are rare).
 */
import { BoundedTtlCache } from "../cache";
import type { Role } from "./auth-user";

export type RolesFetcher = (userIds: string[]) => Promise<Array<{ userId: string; roles: Role[] }>>;

export class RoleCache {
  private readonly entries: BoundedTtlCache<string, Role[]>;

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
      if (hit !== undefined) result.set(id, hit);
      else missing.push(id);
    }
    if (missing.length > 0) {
      const generation = this.entries.generation();
      const fetched = new Map((await this.fetch(missing)).map((e) => [e.userId, e.roles]));
      for (const id of missing) {
        const roles = fetched.get(id) ?? [];
        if (this.entries.set(id, roles, generation, t + this.ttlMs)) result.set(id, roles);
        // Refused: a change landed meanwhile; what is held now came after it (the broadcast's roles).
        else result.set(id, this.entries.get(id) ?? roles);
      }
    }
    return result;
  }

  async roles(userId: string): Promise<Role[]> {
    return (await this.rolesOf([userId])).get(userId) ?? [];
  }

  /**
   * From `user.roles.changed`: the new roles, no fetch needed (`at`: when read, which the TTL counts from).
   * Fetches in flight will not store the roles they read before it.
   */
  set(userId: string, roles: Role[], at = this.now()): void {
    this.entries.invalidate(userId);
    this.entries.set(userId, roles, undefined, at + this.ttlMs);
  }

  /** The user's roles changed (what to is not known): fetched again next time, fetches in flight not kept. */
  forget(userId: string): void {
    this.entries.invalidate(userId);
  }
}
