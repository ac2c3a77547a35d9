/**
 * "Has this consumer group already handled event X?" for services without a
 * database (their handlers have no transaction to record it in). One
 * interface, one driver per backend, picked by config (REDIS_URL or memory).
 *
 * A delivery first claims the event for a short lease ("busy") so a
 * concurrent duplicate waits instead of running the handler twice; success
 * turns the claim into "done", failure releases it for the retry.
 */
import { BoundedRedis } from "../../lib/redis/bounded-redis";

export type ClaimResult = "claimed" | "done" | "busy";

export interface DedupeStore {
  claim(group: string, eventId: string): Promise<ClaimResult>;
  complete(group: string, eventId: string): Promise<void>;
  release(group: string, eventId: string): Promise<void>;
  /** Counts a failed delivery and returns the total so far (for adapters that do not report deliveries). */
  countFailure(group: string, eventId: string): Promise<number>;
  /** Forgets the failures of an event (a replayed dead letter gets its full retries again). */
  resetFailures(group: string, eventId: string): Promise<void>;
  close(): Promise<void>;
}

interface MemoryEntry {
  state: "busy" | "done";
  expiresAt: number;
}

export class MemoryDedupeStore implements DedupeStore {
  private readonly entries = new Map<string, MemoryEntry>();
  private readonly failures = new Map<string, { count: number; expiresAt: number }>();

  constructor(
    private readonly claimTtlMs: number,
    private readonly processedTtlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async claim(group: string, eventId: string): Promise<ClaimResult> {
    const key = `${group}\u0000${eventId}`;
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > this.now()) return entry.state;
    this.entries.set(key, { state: "busy", expiresAt: this.now() + this.claimTtlMs });
    this.prune();
    return "claimed";
  }

  async complete(group: string, eventId: string): Promise<void> {
    this.entries.set(`${group}\u0000${eventId}`, { state: "done", expiresAt: this.now() + this.processedTtlMs });
  }

  async release(group: string, eventId: string): Promise<void> {
    this.entries.delete(`${group}\u0000${eventId}`);
  }

  async countFailure(group: string, eventId: string): Promise<number> {
    const key = `${group}\u0000${eventId}`;
    const current = this.failures.get(key);
    const count = current && current.expiresAt > this.now() ? current.count + 1 : 1;
    this.failures.set(key, { count, expiresAt: this.now() + this.processedTtlMs });
    return count;
  }

  async resetFailures(group: string, eventId: string): Promise<void> {
    this.failures.delete(`${group}\u0000${eventId}`);
  }

  async close(): Promise<void> {
    this.entries.clear();
    this.failures.clear();
  }

  /** Marks and failure counts held: what the pruning bounds. */
  get size(): number {
    return this.entries.size + this.failures.size;
  }

  /** Bounded memory: drop expired marks once the map grows. */
  private prune(): void {
    if (this.entries.size < 10_000) return;
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
    for (const [key, entry] of this.failures) if (entry.expiresAt <= now) this.failures.delete(key);
  }
}

/**
 * Bounded like every Redis connection (lib/redis): while Redis is down a
 * claim fails at once, the delivery fails and the event is redelivered later
 * (a dedupe check that cannot answer must not let a handler run twice).
 */
export class RedisDedupeStore implements DedupeStore {
  private readonly bounded: BoundedRedis;

  constructor(
    url: string,
    private readonly keyPrefix: string,
    private readonly claimTtlMs: number,
    private readonly processedTtlMs: number,
    commandTimeoutMs = 250,
  ) {
    this.bounded = new BoundedRedis(url, { name: "durable-events dedupe", commandTimeoutMs });
  }

  private key(group: string, eventId: string): string {
    return `${this.keyPrefix}:durable-processed:${group}:${eventId}`;
  }

  async claim(group: string, eventId: string): Promise<ClaimResult> {
    const key = this.key(group, eventId);
    const set = await this.bounded.run((r) => r.set(key, "busy", "PX", this.claimTtlMs, "NX"));
    if (set === "OK") return "claimed";
    const state = await this.bounded.run((r) => r.get(key));
    // Expired between SET and GET: let the redelivery claim it.
    return state === "done" ? "done" : "busy";
  }

  async complete(group: string, eventId: string): Promise<void> {
    await this.bounded.run((r) => r.set(this.key(group, eventId), "done", "PX", this.processedTtlMs));
  }

  async release(group: string, eventId: string): Promise<void> {
    await this.bounded.run((r) => r.del(this.key(group, eventId)));
  }

  private failuresKey(group: string, eventId: string): string {
    return `${this.keyPrefix}:durable-failures:${group}:${eventId}`;
  }

  async resetFailures(group: string, eventId: string): Promise<void> {
    await this.bounded.run((r) => r.del(this.failuresKey(group, eventId)));
  }

  async countFailure(group: string, eventId: string): Promise<number> {
    const key = this.failuresKey(group, eventId);
    const [[, count]] = (await this.bounded.run((r) =>
      r.multi().incr(key).pexpire(key, this.processedTtlMs).exec(),
    )) as [[Error | null, number]];
    return count;
  }

  async close(): Promise<void> {
    this.bounded.close();
  }
}
