/**
 * Cached reads with Moleculer's cacher (memory in one process, Redis when
 * REDIS_URL is set, see bin/broker-options.ts), invalidated by the owning
 * service's own writes.
 *
 * - An action opts in with `cache: publicRead(["id"])` (the same answer for
 *   everyone: key = action + those params) or `cache: perUserRead()` (keyed
 *   by the caller's user id, so one user's answer is never served to another).
 * - A service mixes in ReadCacheMixin(): every write its DbMixin runs (any
 *   statement that is not a SELECT, on its stores or through db.query)
 *   broadcasts `cache.invalidated` once it is committed, and every instance
 *   of the service, on every node, drops its cached reads (`<service>.**`).
 *   Outside a transaction the write's caller resumes only after the local
 *   drop, so a client reads its own write at once.
 * - The bound: an entry lives READ_CACHE_TTL_S (default 5 s) at most. A read
 *   that started before a change and stores its result after the
 *   invalidation (Moleculer's cacher stores without waiting), or an
 *   invalidation lost with a node or Redis (BoundedRedisCacher then drops its
 *   whole prefix when Redis is back), is stale for that long at most.
 * - With the memory cacher, concurrent misses of one key wait for the first
 *   (the cacher's lock): in embedded mode, where every query of the process
 *   goes through PGlite's single session, a burst of reads of one channel is
 *   one query, not a queue of identical ones.
 */
import type { ActionCacheOptions, Service, ServiceSchema } from "moleculer";
import { getConfig } from "../../lib/config";
import { broadcastEvent, onEvent } from "../../lib/contracts";
import "./read-cache.events";

/** The configured bound, or the default where no config is loaded (tools that only read service schemas). */
const DEFAULT_TTL_S = 5;
function setting<T>(read: (config: ReturnType<typeof getConfig>) => T, fallback: T): T {
  try {
    return read(getConfig());
  } catch {
    return fallback;
  }
}

const enabled = (): boolean => getConfig().readCacheTtlS > 0;

/**
 * Read lazily (getters): Moleculer copies these options when it creates the
 * service, after moleculer.config has loaded the config.
 */
function options(keys: string[]): ActionCacheOptions {
  return {
    keys,
    enabled,
    get ttl() {
      return setting((c) => c.readCacheTtlS, DEFAULT_TTL_S);
    },
    // Single flight per key with the in-process cacher; Redis locks (Redlock) are not used.
    lock: {
      get enabled() {
        return setting((c) => !c.redisUrl, true);
      },
    },
  } as ActionCacheOptions;
}

/** The same answer for every caller: keyed by these params (use the action's params that change the answer). */
export function publicRead(keys: string[]): ActionCacheOptions {
  return options(keys);
}

/** An answer for the caller only: keyed by the caller's user id (plus `keys`). */
export function perUserRead(keys: string[] = []): ActionCacheOptions {
  return options(["#user.id", ...keys]);
}

/** What DbMixin calls after a write statement of the service (mixins/db); provided by ReadCacheMixin. */
export interface ReadCacheThis extends Service {
  onDbWrite(): Promise<void>;
  dropCachedReads(): Promise<void>;
}

export function ReadCacheMixin(): Partial<ServiceSchema> {
  return {
    events: {
      ...onEvent("cache.invalidated", function (this: ReadCacheThis, payload, ctx) {
        // Our own broadcast was handled locally before it went out (onDbWrite).
        if (payload.service !== this.name || ctx.nodeID === this.broker.nodeID) return;
        return this.dropCachedReads();
      }),
    },
    methods: {
      async dropCachedReads(this: ReadCacheThis): Promise<void> {
        await this.broker.cacher?.clean(`${this.name}.**`);
      },

      async onDbWrite(this: ReadCacheThis): Promise<void> {
        if (!this.broker.cacher || !enabled()) return;
        await this.dropCachedReads();
        await broadcastEvent(this.broker, "cache.invalidated", { service: this.name });
      },
    },
  };
}
