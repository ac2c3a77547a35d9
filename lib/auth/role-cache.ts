/**
 * Other users' global roles (admin, editor, ...), for decisions about a user
 * who is not the caller: chat refusing a moderator who bans a site admin,
 * badges. Read through `identity.userRoles` in batches and kept for `ttlMs`;
 * the `user.roles.changed` broadcast replaces an entry at once, so the TTL only
 * bounds how stale a node that missed a broadcast can be.
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
      const fetched = new Map((await this.fetch(missing)).map((e) => [e.userId, e.roles]));
      for (const id of missing) {
        const roles = fetched.get(id) ?? [];
        this.set(id, roles, t);
        result.set(id, roles);
      }
    }
    return result;
  }

  async roles(userId: string): Promise<Role[]> {
    return (await this.rolesOf([userId])).get(userId) ?? [];
  }

  /** From `user.roles.changed`: the new roles, no fetch needed (`at`: when read, which the TTL counts from). */
  set(userId: string, roles: Role[], at = this.now()): void {
    this.entries.set(userId, roles, undefined, at + this.ttlMs);
  }

  forget(userId: string): void {
    this.entries.delete(userId);
  }
}
