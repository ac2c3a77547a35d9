/**
 * The one in-process cache shape Arena uses (gateway answers, verified tokens,
 * search results, blocks, roles, blog reads): at most `maxEntries` values,
 * least recently used out first; each value lives `ttlMs` (or until its own
 * expiry); optionally at most `maxBytes` in all, by a size the caller gives;
 * and a generation guard for read-through fills: take `generation()` before
 * the (slow) read, pass it to `set`, and the value is refused if anything was
 * invalidated in between (it may predate the change).
 *
 * Cheap by design, as the hand-written copies it replaced were: the gateway
 * asks it on every request. A read is one Map lookup, a compare and a
 * re-insert (Map keeps insertion order, so the first key is the least recently
 * used); no timers (an expired value goes when it is read or evicted), no
 * closures per call, one small record per stored value.
 *
 * `undefined` means a miss: do not store it as a value.
 */

export interface BoundedTtlCacheOptions<V> {
  /** Most values kept; 0 turns the cache off (nothing is stored). */
  maxEntries: number;
  /** How long a value lives unless `set` gives its own expiry; 0 turns the cache off. */
  ttlMs: number;
  /** Most bytes kept, all values together (by `sizeOf`); a value larger than this alone is refused. */
  maxBytes?: number;
  /** A value's size in the unit of `maxBytes`; asked once per `set`, only when `maxBytes` is given. */
  sizeOf?: (value: V) => number;
  /** Milliseconds; `Date.now()` unless given (tests). */
  now?: () => number;
}

/** A stored value and what bounds it (a class: one hidden shape for every record). */
class Slot<V> {
  constructor(
    readonly value: V,
    readonly expiresAt: number,
    readonly bytes: number,
  ) {}
}

const wallClock = (): number => Date.now();

export class BoundedTtlCache<K, V> {
  readonly maxEntries: number;
  readonly ttlMs: number;
  readonly maxBytes: number;
  private readonly sizeOf: ((value: V) => number) | undefined;
  private readonly now: () => number;
  private readonly slots = new Map<K, Slot<V>>();
  /** Moved by every invalidation: a fill that began under an older value is refused. */
  private gen = 0;
  private bytes = 0;

  constructor(options: BoundedTtlCacheOptions<V>) {
    this.maxEntries = options.maxEntries;
    this.ttlMs = options.ttlMs;
    this.maxBytes = options.maxBytes ?? Number.POSITIVE_INFINITY;
    this.sizeOf = options.maxBytes === undefined ? undefined : options.sizeOf;
    if (options.maxBytes !== undefined && options.sizeOf === undefined)
      throw new Error("BoundedTtlCache: maxBytes needs sizeOf");
    this.now = options.now ?? wallClock;
  }

  get enabled(): boolean {
    return this.maxEntries > 0 && this.ttlMs > 0;
  }

  /** Values held (expired ones not yet read or evicted included). */
  get size(): number {
    return this.slots.size;
  }

  /** Sum of `sizeOf` over the values held (0 without a byte bound). */
  get heldBytes(): number {
    return this.bytes;
  }

  /** The token a read-through fill takes before it reads, and hands to `set`. */
  generation(): number {
    return this.gen;
  }

  /** The value if held and not expired at `now` (a hit counts as a use); an expired one is dropped. */
  get(key: K, now = this.now()): V | undefined {
    const slot = this.slots.get(key);
    if (slot === undefined) return undefined;
    this.slots.delete(key);
    if (slot.expiresAt <= now) {
      this.bytes -= slot.bytes;
      return undefined;
    }
    this.slots.set(key, slot);
    return slot.value;
  }

  /**
   * Stores `value` as the most recently used, then evicts the least recently used past the bounds.
   * Refused (false) when the cache is off, when `generation` is given and an invalidation happened
   * since it was read, or when the value alone exceeds `maxBytes` (a value held under `key` stays then).
   * `expiresAt` (ms, the clock's) replaces the cache's TTL for this value; it is not checked against
   * the clock here.
   */
  set(key: K, value: V, generation?: number, expiresAt?: number): boolean {
    if (!this.enabled || (generation !== undefined && generation !== this.gen)) return false;
    const bytes = this.sizeOf === undefined ? 0 : this.sizeOf(value);
    if (bytes > this.maxBytes) return false;
    this.delete(key);
    this.slots.set(key, new Slot(value, expiresAt ?? this.now() + this.ttlMs, bytes));
    this.bytes += bytes;
    while (this.slots.size > this.maxEntries || this.bytes > this.maxBytes) {
      const oldest = this.slots.keys().next().value as K;
      this.delete(oldest);
    }
    return true;
  }

  /** Forgets `key` without moving the generation (the caller's own rule retired it). */
  delete(key: K): boolean {
    const slot = this.slots.get(key);
    if (slot === undefined) return false;
    this.slots.delete(key);
    this.bytes -= slot.bytes;
    return true;
  }

  /** `key` changed: forgotten, and fills begun before are refused. */
  invalidate(key: K): void {
    this.gen += 1;
    this.delete(key);
  }

  /** Forgets every value `match` picks (a scan: not for hot paths); fills begun before are refused. */
  invalidateWhere(match: (value: V, key: K) => boolean): void {
    this.gen += 1;
    for (const [key, slot] of this.slots) if (match(slot.value, key)) this.delete(key);
  }

  /** Everything changed: forgets all, and fills begun before are refused. */
  invalidateAll(): void {
    this.gen += 1;
    this.slots.clear();
    this.bytes = 0;
  }

  /** Something changed that the caller drops itself (or that is not held): fills begun before are refused. */
  bumpGeneration(): void {
    this.gen += 1;
  }
}
