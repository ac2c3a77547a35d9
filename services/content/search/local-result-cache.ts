/**
 * An in-process layer in front of the Redis result cache: a search box asks
 * the same few queries on every keystroke, and a hit here answers without a
 * Redis round trip. Freshness, as Redis's: every invalidation (a document
 * left or joined the results) clears this node's entries at once and is
 * broadcast (`search.cache.invalidated`) so every other search node clears
 * its own; entries live at most `ttlMs` (short), which bounds how long a lost
 * broadcast can leave one stale. An answer computed or read from Redis while
 * an invalidation happened is not kept (it may predate the change), and
 * nothing is kept while Redis is unhealthy (its generation is unknown).
 * Entries are the answers themselves, not JSON: a hit allocates nothing
 * (every caller gets the same object, as with Moleculer's memory cacher;
 * nothing downstream changes a result).
 */
import { BoundedTtlCache } from "../../../lib/cache";
import type { ResultCache } from "./result-cache";

export class LocalResultCache<V> implements ResultCache<V> {
  /** Its generation moves on every clear: an answer begun under an older one is not kept. */
  private readonly entries: BoundedTtlCache<string, V>;

  constructor(
    /** The Redis layer (the bench measures it alone too). */
    readonly shared: ResultCache<V>,
    ttlMs: number,
    maxEntries: number,
    /** Tells the other search nodes to clear their entries (after this node's own clear). */
    private readonly announce: () => Promise<void>,
  ) {
    this.entries = new BoundedTtlCache({ maxEntries, ttlMs });
  }

  async get(key: string): Promise<{ value: V | null; generation: string }> {
    const kept = this.entries.get(key);
    if (kept !== undefined) return { value: kept, generation: "" };
    const epoch = this.entries.generation();
    const hit = await this.shared.get(key);
    if (hit.value !== null && hit.generation !== "") this.entries.set(key, hit.value, epoch);
    return { value: hit.value, generation: `${epoch}:${hit.generation}` };
  }

  async set(key: string, generation: string, value: V): Promise<void> {
    const colon = generation.indexOf(":");
    if (colon < 0) return;
    const shared = generation.slice(colon + 1);
    if (shared !== "") this.entries.set(key, value, Number(generation.slice(0, colon)));
    await this.shared.set(key, shared, value);
  }

  async invalidate(): Promise<void> {
    this.clearLocal();
    await this.shared.invalidate();
    await this.announce().catch(() => undefined);
  }

  /** Another node invalidated: drop this node's entries (Redis was bumped by that node). */
  clearLocal(): void {
    this.entries.invalidateAll();
  }

  close(): void {
    this.entries.invalidateAll();
    this.shared.close();
  }
}
