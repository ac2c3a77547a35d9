import { Cachers, type CacherOptions, type ServiceBroker } from "moleculer";
import type Redis from "ioredis";
import { BoundedRedis, boundedRedisOptions, redisUrlOptions } from "../redis/bounded-redis";

export interface BoundedRedisCacherOptions {
  url: string;
  prefix: string;
  ttl: number;
  commandTimeoutMs: number;
  /** How entries are keyed (bin/broker-options.ts passes lib/cache's actionCacheKey). */
  keygen?: CacherOptions["keygen"];
}

/**
 * Moleculer's Redis cacher on a bounded connection (lib/redis), failing open:
 * a read that fails is a miss (the action runs), a write or an invalidation
 * that fails is skipped. Invalidations missed during an outage could leave
 * stale entries behind, so the cacher drops its whole prefix once Redis is
 * back. The stock cacher queued every command while Redis was down and
 * logged each reconnect attempt as an error.
 */
export class BoundedRedisCacher extends Cachers.Redis<Redis> {
  private bounded?: BoundedRedis;
  private missedInvalidation = false;
  private readonly commandTimeoutMs: number;
  declare connected: boolean;

  constructor(options: BoundedRedisCacherOptions) {
    super({
      prefix: options.prefix,
      ttl: options.ttl,
      keygen: options.keygen,
      // No Redlock (cache locks are not used) and no per-connection pings: the breaker watches the connection.
      redlock: false,
      redis: { ...redisUrlOptions(options.url), ...boundedRedisOptions(options.commandTimeoutMs) },
    });
    this.commandTimeoutMs = options.commandTimeoutMs;
  }

  override init(broker: ServiceBroker): void {
    super.init(broker);
    const logger = broker.getLogger("cacher");
    // The stock listener logs every failed reconnect at error level; the breaker logs the outage once.
    this.client.removeAllListeners("error");
    this.client.on("close", () => (this.connected = false));
    this.bounded = new BoundedRedis(this.client, {
      name: "cacher",
      commandTimeoutMs: this.commandTimeoutMs,
      logger,
      onRecovered: () => {
        if (!this.missedInvalidation) return;
        this.missedInvalidation = false;
        void this.clean();
      },
    });
  }

  private run<T>(fn: () => Promise<T>): Promise<T> {
    if (!this.bounded) return Promise.reject(new Error("cacher used before init"));
    return this.bounded.run(fn);
  }

  override async get(key: string): Promise<null | Record<string, unknown>> {
    return this.run(() => super.get(key)).catch(() => null);
  }

  override async getWithTTL(key: string): Promise<null | Record<string, unknown>> {
    return this.run(() => super.getWithTTL(key)).catch(() => ({ data: null, ttl: null }));
  }

  override async set(key: string, data: unknown, ttl?: number): Promise<unknown> {
    return this.run(() => super.set(key, data, ttl)).catch(() => null);
  }

  override async del(key: string | string[]): Promise<unknown> {
    return this.run(() => super.del(key)).catch(() => this.invalidationMissed());
  }

  override async clean(match?: string | string[]): Promise<unknown> {
    return this.run(() => super.clean(match)).catch(() => this.invalidationMissed());
  }

  /** Entries we could not invalidate may be stale: read nothing until Redis is back and the prefix is cleaned. */
  private invalidationMissed(): null {
    this.missedInvalidation = true;
    this.bounded?.markDown("a cache invalidation failed");
    return null;
  }

  override async close(): Promise<unknown> {
    this.bounded?.close();
    return null;
  }
}
