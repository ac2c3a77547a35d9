/**
 * Unread counts. PostgreSQL is the truth (a partial index on unread rows);
 * with REDIS_URL the counts are cached in Redis so the badge on every page
 * and every pushed frame costs no count query: a new notification increments
 * a cached count (only when one is cached), reading or deleting drops it and
 * the next read recounts. A fan-out does not recount users whose count is
 * not cached: their frame goes without a badge (a client that loaded its
 * count has it cached, so this is a user whose count expired while online;
 * the client asks again). A count cached before a crash between commit and
 * increment is at most a few off until it expires (`ttlS`) or the user reads.
 */
import { BoundedRedis } from "../../../lib/redis/bounded-redis";

export type CountUnread = (userIds: string[]) => Promise<Map<string, number>>;

export interface UnreadCounter {
  readonly kind: "sql" | "redis";
  get(userId: string): Promise<number>;
  /** After new notifications committed for these users: their counts now (users left out: not known cheaply). */
  bumped(userIds: string[]): Promise<Map<string, number>>;
  /** After a read/delete changed the user's unread rows. */
  invalidate(userId: string): Promise<void>;
  close(): Promise<void>;
}

export class SqlUnreadCounter implements UnreadCounter {
  readonly kind = "sql" as const;
  constructor(private readonly count: CountUnread) {}

  async get(userId: string): Promise<number> {
    return (await this.count([userId])).get(userId) ?? 0;
  }

  bumped(userIds: string[]): Promise<Map<string, number>> {
    return this.count(userIds);
  }

  async invalidate(): Promise<void> {}

  async close(): Promise<void> {}
}

// Increment only a count that is cached: a missing key means "recount", never "zero".
const INCR_IF_CACHED = `
local out = {}
for i, key in ipairs(KEYS) do
  if redis.call('EXISTS', key) == 1 then out[i] = redis.call('INCR', key) else out[i] = -1 end
end
return out
`;

export class RedisUnreadCounter implements UnreadCounter {
  readonly kind = "redis" as const;
  private readonly redis: BoundedRedis;

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly count: CountUnread,
    private readonly ttlS: number,
    options: { commandTimeoutMs: number; logger?: { warn(...a: unknown[]): void; info(...a: unknown[]): void } },
  ) {
    this.redis = new BoundedRedis(url, { name: "notifications-unread", ...options });
  }

  private key(userId: string): string {
    return `${this.prefix}:unread:${userId}`;
  }

  async get(userId: string): Promise<number> {
    try {
      const cached = await this.redis.run((r) => r.get(this.key(userId)));
      if (cached !== null) return Number(cached);
    } catch {
      // Redis down: the database answers.
    }
    const counted = (await this.count([userId])).get(userId) ?? 0;
    await this.store(new Map([[userId, counted]]));
    return counted;
  }

  async bumped(userIds: string[]): Promise<Map<string, number>> {
    const result = new Map<string, number>();
    if (userIds.length === 0) return result;
    try {
      const counts = (await this.redis.run((r) =>
        r.eval(INCR_IF_CACHED, userIds.length, ...userIds.map((id) => this.key(id))),
      )) as number[];
      userIds.forEach((id, i) => {
        const n = counts[i] ?? -1;
        if (n >= 0) result.set(id, n);
      });
    } catch {
      // Redis down: frames go without a badge; clients ask for their count.
    }
    return result;
  }

  async invalidate(userId: string): Promise<void> {
    try {
      await this.redis.run((r) => r.del(this.key(userId)));
    } catch {
      // The cached count expires on its own (ttlS).
    }
  }

  private async store(counts: Map<string, number>): Promise<void> {
    if (counts.size === 0) return;
    try {
      await this.redis.run((r) => {
        const multi = r.multi();
        // NX: a concurrent increment that cached first wins over this (older) recount.
        for (const [id, n] of counts) multi.set(this.key(id), String(n), "EX", this.ttlS, "NX");
        return multi.exec();
      });
    } catch {
      // Not cached: the next read recounts.
    }
  }

  async close(): Promise<void> {
    this.redis.close();
  }
}
