/**
 * Per-node cache of rendered reads (feeds, published posts), grouped by blog.
 * Every change to a blog's posts drops the group on every node (a plain
 * broadcast, blog.posts.changed); the TTL bounds staleness should a node
 * miss one. A read that started before an invalidation does not store its
 * (possibly stale) result: each group has a generation, checked on set.
 */
export class ReadCache {
  private readonly entries = new Map<
    string,
    { value: unknown; group: string; generation: number; expiresAt: number }
  >();
  private readonly generations = new Map<string, number>();
  /** Invalidations of any group so far: a read whose group is known only once it is loaded guards with this. */
  private invalidations = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly ttlMs: number,
  ) {}

  generation(group: string): number {
    return this.generations.get(group) ?? 0;
  }

  get<T>(key: string, now = Date.now()): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now || entry.generation !== this.generation(entry.group)) {
      this.entries.delete(key);
      return undefined;
    }
    // Map order doubles as recency: move to the end.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value as T;
  }

  /** Stores unless the group was invalidated since `generation` was read. */
  set(key: string, group: string, generation: number, value: unknown, now = Date.now()): void {
    if (generation !== this.generation(group)) return;
    this.entries.delete(key);
    this.entries.set(key, { value, group, generation, expiresAt: now + this.ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
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
    this.invalidations += 1;
  }

  /** A mark to take before a read whose group the loaded value names (a post by id names its blog). */
  mark(): number {
    return this.invalidations;
  }

  /**
   * Stores a value read after `mark` unless any group was invalidated since: the value's own group's
   * generation could only be read after the load, too late to tell a change that landed meanwhile.
   */
  setIfUnchangedSince(mark: number, key: string, group: string, value: unknown, now = Date.now()): void {
    if (mark === this.invalidations) this.set(key, group, this.generation(group), value, now);
  }

  clear(): void {
    this.entries.clear();
  }
}
