/**
 * The dashboards' read cache for rollup reads (hour and day series, 30/90-day
 * summaries, top channels). Rollup rows change only when a rollup run (every
 * `ANALYTICS_ROLLUP_INTERVAL_S`, on any node) or pruning changes them, and
 * each such run bumps `rollup_generation` in its transaction. A request
 * reads the generation once (one tiny query), and entries are keyed by it:
 * a cached answer is exactly as fresh as the rollups, on every node, with no
 * invalidation messages and no TTL to tune. Minute series (raw buckets, which
 * change with every flush) are never cached.
 *
 * The mixins/read-cache mixin does not fit here: it drops a service's cached
 * reads on every write of the service, and analytics writes every second.
 *
 * In memory, per node, at most `maxEntries` (oldest dropped first); the same
 * read asked again while it is loading waits for the first (single flight).
 */
import type { DbHandle } from "../../../mixins/db";

export type CachedRead = <T>(key: string, load: () => Promise<T>) => Promise<T>;

export class RollupCache {
  private readonly entries = new Map<string, Promise<unknown>>();
  private generationSeen = -1;

  constructor(
    private readonly db: DbHandle,
    private readonly maxEntries = 2000,
  ) {}

  /** Reads the current generation; the returned function serves reads of that generation. */
  async at(): Promise<CachedRead> {
    const [row] = await this.db.query<{ generation: string }>("SELECT generation FROM rollup_generation");
    const generation = Number(row?.generation ?? 0);
    if (generation > this.generationSeen) {
      // Entries of older generations can never be asked for again.
      this.entries.clear();
      this.generationSeen = generation;
    }
    return <T>(key: string, load: () => Promise<T>): Promise<T> => {
      const full = `${generation}|${key}`;
      const hit = this.entries.get(full);
      if (hit) return hit as Promise<T>;
      const loading = load();
      this.entries.set(full, loading);
      loading.catch(() => this.entries.delete(full));
      if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
      return loading;
    };
  }

  get size(): number {
    return this.entries.size;
  }
}

/** A read that bypasses the cache (minute series, tools, tests). */
export const uncached: CachedRead = (_key, load) => load();
