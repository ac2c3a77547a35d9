/**
 * Every Redis connection Arena opens (cacher, rate limits, durable-event
 * dedupe, viewer counts) comes from here, so a Redis outage has one bounded
 * cost everywhere:
 *  - no offline queue: while disconnected a command fails at once instead of
 *    waiting in memory for a reconnect (the queue turned an outage into
 *    ever-growing latency);
 *  - a command timeout: a Redis that accepts connections but does not answer
 *    (frozen, overloaded, network black hole) costs at most that long;
 *  - a breaker: after a few failures calls fail without touching Redis until a
 *    background PING (or the reconnect) says it is back.
 * Callers decide what a failure means: the cacher and the rate limiter fail
 * open, the dedupe store fails the delivery so it is retried later.
 */
import Redis, { ReplyError, type RedisOptions } from "ioredis";
import { Breaker, DependencyDownError } from "./breaker";

export { DependencyDownError } from "./breaker";

export interface BoundedRedisOptions {
  /** Names the connection in logs and errors ("cacher", "rate-limit" ...). */
  name: string;
  commandTimeoutMs: number;
  /** Consecutive failures that open the breaker (default 3). */
  breakerThreshold?: number;
  logger?: { warn(...args: unknown[]): void; info(...args: unknown[]): void };
  /** Called when Redis answers again after an outage (e.g. to drop cache entries whose invalidation was missed). */
  onRecovered?(): void;
}

/** Longest wait between reconnect attempts, and the breaker's probe interval while Redis is down. */
export const REDIS_RECONNECT_MAX_MS = 1000;
export const REDIS_PROBE_INTERVAL_MS = 500;

/** A redis:// or rediss:// URL as ioredis options (for code that takes an options object, like Moleculer's cacher). */
export function redisUrlOptions(url: string): RedisOptions {
  const u = new URL(url);
  const db = Number(u.pathname.replace(/^\//, "") || 0);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    ...(Number.isInteger(db) && db > 0 ? { db } : {}),
    ...(u.protocol === "rediss:" ? { tls: {} } : {}),
  };
}

/** ioredis options with every wait bounded; `commandTimeoutMs` also bounds connects and probes. */
export function boundedRedisOptions(commandTimeoutMs: number): RedisOptions {
  return {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout: commandTimeoutMs,
    connectTimeout: Math.max(1000, commandTimeoutMs * 4),
    // Reconnect forever, quickly at first, at most once a second: recovery time is bounded too.
    retryStrategy: (times: number) => Math.min(100 * times, REDIS_RECONNECT_MAX_MS),
    // A reply error (wrong type, script error) is ours to see, never a reason to reconnect.
    reconnectOnError: () => false,
  };
}

export class BoundedRedis {
  readonly client: Redis;
  private readonly breaker: Breaker;
  /** The first connection, awaited once (bounded) so commands issued during boot are not failed for nothing. */
  private firstConnection?: Promise<boolean>;

  /** `client` is an ioredis client built with `boundedRedisOptions` (or a URL to build one). */
  constructor(client: string | Redis, options: BoundedRedisOptions) {
    const { name, logger } = options;
    this.client =
      typeof client === "string" ? new Redis(client, boundedRedisOptions(options.commandTimeoutMs)) : client;
    const bootWaitMs = Math.max(1000, options.commandTimeoutMs * 4);
    this.breaker = new Breaker({
      name: `redis (${name})`,
      threshold: options.breakerThreshold ?? 3,
      probeIntervalMs: REDIS_PROBE_INTERVAL_MS,
      probe: () => this.client.ping(),
      countsAsFailure: (err) => !(err instanceof ReplyError),
      onChange: (state, reason) => {
        if (state === "open")
          logger?.warn(`Redis (${name}) unavailable: failing fast until it answers`, describe(reason));
        else {
          logger?.info(`Redis (${name}) available again`);
          options.onRecovered?.();
        }
      },
    });
    // Connection state is the first and cheapest signal; the breaker also catches a Redis that stopped answering.
    this.client.on("ready", () => this.breaker.markUp());
    this.client.on("close", () => this.breaker.markDown("connection closed"));
    // ioredis reports every failed reconnect here; the breaker already logged the outage once.
    this.client.on("error", () => undefined);
    this.firstConnection = this.connected(bootWaitMs).finally(() => (this.firstConnection = undefined));
  }

  /** True while calls fail fast. */
  get down(): boolean {
    return this.breaker.isOpen;
  }

  /** Waits (at most `timeoutMs`) for the first connection, so a normal boot starts with Redis in use; false if it did not come. */
  async connected(timeoutMs: number): Promise<boolean> {
    if (this.client.status === "ready") return true;
    return new Promise<boolean>((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.client.off("ready", onReady);
        resolve(ok);
      };
      const onReady = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      timer.unref();
      this.client.once("ready", onReady);
    });
  }

  /** Runs one bounded call: rejects at once while Redis is known down, within the command timeout otherwise. */
  async run<T>(fn: (redis: Redis) => Promise<T>): Promise<T> {
    if (this.firstConnection) await this.firstConnection;
    return this.breaker.run(() => fn(this.client));
  }

  /** Stop using Redis until a probe succeeds (e.g. a cache that missed an invalidation must not be read). */
  markDown(reason: string): void {
    this.breaker.markDown(reason);
  }

  /** Closes without waiting for Redis (QUIT would wait for an answer that may never come). */
  close(): void {
    this.breaker.stop();
    this.client.disconnect();
  }
}

function describe(reason: unknown): string {
  if (reason instanceof Error) return reason.message;
  return String(reason ?? "");
}

export function isRedisDown(err: unknown): boolean {
  return err instanceof DependencyDownError;
}
