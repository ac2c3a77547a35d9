/**
 * The gateway's response cache for anonymous cached reads (fast-path.ts):
 * serialized answers by raw URL, least recently used dropped past `size`,
 * each living `ttlMs` at most, dropped by the owning service's
 * `cache.invalidated` broadcast. A generation counter, bumped by every
 * invalidation, keeps a routed read that started before a change from
 * storing its (possibly older) answer after the drop.
 */
import { createHash } from "node:crypto";

export interface CachedAnswer {
  /**
   * What the routed answer sent, kept as it was given (moleculer-web gives JSON as a string): Node
   * writes a string body in the same write as the headers, a Buffer in a second one (writev).
   */
  body: string | Buffer;
  etag: string;
  /** Header pairs of a 200 (Content-Type, Content-Length, ETag, whatever else the action set), flat. */
  headers: readonly string[];
  /** Header pairs of a 304 (ETag and the action's own, no content headers), flat. */
  notModifiedHeaders: readonly string[];
  /** The route template (HTTP metrics label). */
  route: string;
  /** The service whose `cache.invalidated` drops it. */
  service: string;
  expiresAt: number;
}

/** A strong validator of these bytes: the same bytes get the same ETag on every node. */
export function etagOf(body: string | Buffer): string {
  return `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
}

/** RFC 9110 §13.1.2 with weak comparison: `*`, or one of the listed tags (W/ or not) equals ours. */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header === etag || header.trim() === "*") return true;
  for (const part of header.split(",")) {
    const tag = part.trim();
    if ((tag.startsWith("W/") ? tag.slice(2) : tag) === etag) return true;
  }
  return false;
}

export class ResponseCache {
  private readonly entries = new Map<string, CachedAnswer>();
  /** Bumped by every invalidation: a fill that began under an older generation is not stored. */
  private gen = 0;

  constructor(
    readonly size: number,
    readonly ttlMs: number,
  ) {}

  get enabled(): boolean {
    return this.size > 0 && this.ttlMs > 0;
  }

  get generation(): number {
    return this.gen;
  }

  get count(): number {
    return this.entries.size;
  }

  get(url: string, now: number): CachedAnswer | undefined {
    const entry = this.entries.get(url);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(url);
      return undefined;
    }
    // Most recently used last (Map keeps insertion order): the first key is the one to drop.
    this.entries.delete(url);
    this.entries.set(url, entry);
    return entry;
  }

  /** False when an invalidation happened since `generation` was read (the answer may predate the change). */
  set(url: string, entry: CachedAnswer, generation: number): boolean {
    if (!this.enabled || generation !== this.gen) return false;
    this.entries.delete(url);
    this.entries.set(url, entry);
    while (this.entries.size > this.size) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return true;
  }

  /** `service` changed its data: its answers go, and reads in flight will not store theirs. */
  invalidate(service: string): void {
    this.gen += 1;
    for (const [url, entry] of this.entries) if (entry.service === service) this.entries.delete(url);
  }

  clear(): void {
    this.gen += 1;
    this.entries.clear();
  }
}
