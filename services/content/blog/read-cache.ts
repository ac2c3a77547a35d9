/**
 * Per-node cache of rendered reads (feeds, published posts), grouped by blog.
 * Every change to a blog's posts drops the group on every node (a plain
 * broadcast, blog.posts.changed); the TTL bounds staleness should a node
 * miss one. A read that started before an invalidation does not store its
 * (possibly stale) result: each group has a generation, checked on set.
 */
import { BoundedTtlCache } from "../../../lib/cache";

interface GroupedValue {
  value: unknown;
  group: string;
  /** The group's generation it was read under: a later one makes it stale without a scan. */
  generation: number;
}

export class ReadCache {
  /**
   * Its own generation counts the invalidations of any group: a read whose group is known only once it
   * is loaded guards with it (`mark`).
   */
  private readonly entries: BoundedTtlCache<string, GroupedValue>;
  private readonly generations = new Map<string, number>();

  constructor(
    maxEntries: number,
    private readonly ttlMs: number,
  ) {
    this.entries = new BoundedTtlCache({ maxEntries, ttlMs });
  }

  generation(group: string): number {
    return this.generations.get(group) ?? 0;
  }

  get<T>(key: string, now = Date.now()): T | undefined {
    const entry = this.entries.get(key, now);
    if (entry === undefined) return undefined;
    if (entry.generation !== this.generation(entry.group)) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value as T;
  }

  /** Stores unless the group was invalidated since `generation` was read. */
  set(key: string, group: string, generation: number, value: unknown, now = Date.now()): void {
    if (generation !== this.generation(group)) return;
    this.entries.set(key, { value, group, generation }, undefined, now + this.ttlMs);
  }

  /** Reads through: `load` runs on a miss and its result is kept. */
  async through<T>(key: string, group: string, load: () => Promise<T>): Promise<T> {
    const hit = this.get<T>(key);
    if (hit !== undefined) return hit;
    const generation = this.generation(group);
    const value = await load();
    this.set(key, group, generation, value);
    return value;
  }

  invalidate(group: string): void {
    this.generations.set(group, this.generation(group) + 1);
    // The group's entries go when next read (their generation is old); reads marked before are refused.
    this.entries.bumpGeneration();
  }

  /** A mark to take before a read whose group the loaded value names (a post by id names its blog). */
  mark(): number {
    return this.entries.generation();
  }

  /**
   * Stores a value read after `mark` unless any group was invalidated since: the value's own group's
   * generation could only be read after the load, too late to tell a change that landed meanwhile.
   */
  setIfUnchangedSince(mark: number, key: string, group: string, value: unknown, now = Date.now()): void {
    if (mark === this.entries.generation()) this.set(key, group, this.generation(group), value, now);
  }

  clear(): void {
    this.entries.invalidateAll();
  }
}
