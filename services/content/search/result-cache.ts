/**
 * Redis cache of frequent queries (REDIS_URL set; otherwise nothing is
 * cached). Freshness: an entry lives at most `ttlMs`, and every entry is
 * keyed by a generation number that any search node bumps as soon as a
 * document leaves the results (made private, deleted, suspended, ended) or
 * joins them, so visibility changes never wait for the TTL (edits of a
 * visible document's text may, up to the TTL). A failed bump stops this node from
 * reading the cache until Redis answers again (it might hold a stale entry).
 */
import { createHash } from "node:crypto";
import { BoundedRedis } from "../../../lib/redis/bounded-redis";

/** Cached answers of type V (search results), each kept under the generation it was read or computed under. */
export interface ResultCache<V> {
  get(key: string): Promise<{ value: V | null; generation: string }>;
  set(key: string, generation: string, value: V): Promise<void>;
  invalidate(): Promise<void>;
  /** Drops what this node keeps in process (another node invalidated; it bumped Redis itself). */
  clearLocal(): void;
  close(): void;
}

export class NoResultCache<V> implements ResultCache<V> {
  async get(): Promise<{ value: null; generation: string }> {
    return { value: null, generation: "0" };
  }
  async set(): Promise<void> {}
  async invalidate(): Promise<void> {}
  clearLocal(): void {}
  close(): void {}
}

// One round trip: the current generation and the entry under it.
const GET_SCRIPT = `
local g = redis.call('GET', KEYS[1]) or '0'
return {g, redis.call('GET', ARGV[1] .. g .. ':' .. ARGV[2])}
`;

/** Values are stored as JSON. */
export class RedisResultCache<V> implements ResultCache<V> {
  private readonly redis: BoundedRedis;

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly ttlMs: number,
    options: { commandTimeoutMs: number; logger?: { warn(...a: unknown[]): void; info(...a: unknown[]): void } },
  ) {
    this.redis = new BoundedRedis(url, { name: "search-cache", ...options });
  }

  static keyOf(params: unknown): string {
    return createHash("sha1").update(JSON.stringify(params)).digest("base64url");
  }

  async get(key: string): Promise<{ value: V | null; generation: string }> {
    try {
      const [generation, value] = (await this.redis.run((r) =>
        r.eval(GET_SCRIPT, 1, `${this.prefix}:gen`, `${this.prefix}:r:`, key),
      )) as [string, string | null];
      return { value: value === null ? null : (JSON.parse(value) as V), generation };
    } catch {
      return { value: null, generation: "" };
    }
  }

  async set(key: string, generation: string, value: V): Promise<void> {
    if (!generation) return;
    const json = JSON.stringify(value);
    await this.redis
      .run((r) => r.set(`${this.prefix}:r:${generation}:${key}`, json, "PX", this.ttlMs))
      .catch(() => undefined);
  }

  async invalidate(): Promise<void> {
    try {
      await this.redis.run((r) => r.incr(`${this.prefix}:gen`));
    } catch (err) {
      this.redis.markDown(`search cache invalidation failed: ${(err as Error).message}`);
    }
  }

  clearLocal(): void {}

  close(): void {
    this.redis.close();
  }
}
