/**
 * The gateway's response cache for anonymous cached reads (fast-path.ts):
 * serialized answers by raw URL, least recently used dropped past `size`,
 * each living `ttlMs` at most, dropped by the owning service's
 * `cache.invalidated` broadcast. A generation counter, bumped by every
 * invalidation, keeps a routed read that started before a change from
 * storing its (possibly older) answer after the drop.
 */
import { createHash } from "node:crypto";
import { BoundedTtlCache } from "../../../lib/cache";
import type { RouteSpec } from "./route-table";

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

/** A public read cached by Moleculer's cacher: no key from meta (#user.id) or headers, a positive TTL (s). */
function publicCacheTtlS(cache: unknown): number | undefined {
  if (cache === null || typeof cache !== "object") return undefined;
  const { keys, ttl } = cache as { keys?: unknown; ttl?: unknown };
  if (!Array.isArray(keys) || keys.some((k) => typeof k !== "string" || k.startsWith("#") || k.startsWith("@")))
    return undefined;
  return typeof ttl === "number" && ttl > 0 ? ttl : undefined;
}

/**
 * The TTL (s) when this route's answers may be kept by the gateway (and so carry an ETag and answer a
 * matching If-None-Match with 304): a GET any caller may read (auth none or optional, no roles, not a
 * stream, the "api" bucket) of an action with a public cache (`cache` is the action definition's, e.g.
 * mixins/read-cache `publicRead`). fast-path.ts fills its cache by it; openapi.ts documents it.
 */
export function cachedReadTtlS(
  spec: Pick<RouteSpec, "method" | "auth" | "roles" | "stream" | "rateLimitBucket">,
  cache: unknown,
): number | undefined {
  if (spec.method !== "GET" || spec.auth === "required" || (spec.roles?.length ?? 0) > 0) return undefined;
  if (spec.stream || (spec.rateLimitBucket ?? "api") !== "api") return undefined;
  return publicCacheTtlS(cache);
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

/** Bodies kept at most, all entries together, whatever API_RESPONSE_CACHE_SIZE says (1,000 channel pages are ~4 MB). */
export const MAX_CACHED_BYTES = 32 * 1024 * 1024;

export class ResponseCache {
  private readonly entries: BoundedTtlCache<string, CachedAnswer>;

  constructor(
    readonly size: number,
    readonly ttlMs: number,
    readonly maxBytes = MAX_CACHED_BYTES,
  ) {
    // Bodies counted as they are held (a string's UTF-16 code units, what it takes in memory at least).
    this.entries = new BoundedTtlCache({ maxEntries: size, ttlMs, maxBytes, sizeOf: bodyLength });
  }

  get enabled(): boolean {
    return this.entries.enabled;
  }

  get generation(): number {
    return this.entries.generation();
  }

  get count(): number {
    return this.entries.size;
  }

  /** Body bytes held (strings counted as UTF-16 code units, what they take in memory at least). */
  get heldBytes(): number {
    return this.entries.heldBytes;
  }

  get(url: string, now: number): CachedAnswer | undefined {
    return this.entries.get(url, now);
  }

  /** False when an invalidation happened since `generation` was read (the answer may predate the change). */
  set(url: string, entry: CachedAnswer, generation: number): boolean {
    return this.entries.set(url, entry, generation, entry.expiresAt);
  }

  /** `service` changed its data: its answers go, and reads in flight will not store theirs. */
  invalidate(service: string): void {
    this.entries.invalidateWhere((entry) => entry.service === service);
  }

  clear(): void {
    this.entries.invalidateAll();
  }
}

function bodyLength(entry: CachedAnswer): number {
  return entry.body.length;
}
