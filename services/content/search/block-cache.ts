/**
 * Per-user cache of the owners hidden from a searcher (blocks both ways).
 * A search box queries on every keystroke, and each query needed a
 * users.blockRelations round trip before its own SQL (or its cached answer)
 * could run; this keeps the answer for a few seconds per user. Freshness:
 * users broadcasts `users.blocks.changed` after a block or unblock commits
 * and every search node drops both users' entries at once; the TTL only
 * bounds how long a lost signal (a node restarting, a partition) can leave a
 * stale entry. A lookup already in flight when the signal arrives is not
 * stored (it may have read the old blocks).
 */
import { BoundedTtlCache } from "../../../lib/cache";

export class HiddenOwnersCache {
  /** Its own generation is not used: a drop refuses only the dropped users' lookups (`epochs`). */
  private readonly entries: BoundedTtlCache<string, string[]>;
  private readonly inFlight = new Map<string, Promise<string[]>>();
  /** Bumped per user by every drop: a lookup started under an older value is not kept. */
  private readonly epochs = new Map<string, number>();
  /** Bumped when the epochs are cleared: no lookup started before is kept. */
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 50_000,
  ) {
    this.entries = new BoundedTtlCache({ maxEntries, ttlMs });
  }

  async get(userId: string, load: () => Promise<string[]>): Promise<string[]> {
    const kept = this.entries.get(userId);
    if (kept !== undefined) return kept;
    if (this.ttlMs <= 0) return load();
    const pending = this.inFlight.get(userId);
    if (pending) return pending;
    const epoch = this.epochs.get(userId) ?? 0;
    const generation = this.generation;
    const lookup = load()
      .then((hidden) => {
        if (this.generation === generation && (this.epochs.get(userId) ?? 0) === epoch)
          this.entries.set(userId, hidden);
        return hidden;
      })
      .finally(() => {
        if (this.inFlight.get(userId) === lookup) this.inFlight.delete(userId);
      });
    this.inFlight.set(userId, lookup);
    return lookup;
  }

  /** Forgets these users' hidden sets (their blocks changed). */
  drop(userIds: string[]): void {
    for (const id of userIds) {
      this.entries.delete(id);
      this.inFlight.delete(id);
      this.epochs.set(id, (this.epochs.get(id) ?? 0) + 1);
    }
    // Epochs only matter while a lookup may be in flight: keep the map from growing without bound.
    if (this.epochs.size > this.maxEntries) {
      this.epochs.clear();
      this.generation++;
    }
  }
}
