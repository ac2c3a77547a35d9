/**
 * How the fast path's response cache (fast-cache.ts) is filled: a routed GET
 * that missed is watched on its way out, and its bytes are kept when it is a
 * 200 of a public cached read (mixins/read-cache `publicRead`), with an ETag
 * added to that answer. fast-path.ts serves what is kept.
 */
import type { ServerResponse } from "node:http";
import type { LoggerInstance } from "moleculer";
import type { ArenaRequest } from "./api.context";
import { cachedReadTtlS, etagOf, matchesIfNoneMatch, type ResponseCache } from "./fast-cache";
import { SECURITY_HEADER_NAMES } from "./http-preamble";

/** Larger answers are routed every time (a page of a list is a few KB). */
const MAX_BODY_BYTES = 256 * 1024;
/** Headers of a routed answer that belong to that request, not to the cached bytes. */
const PER_REQUEST_HEADERS = new Set([
  "x-request-id",
  "keep-alive",
  "connection",
  "date",
  "content-length",
  "etag",
  "x-ratelimit-limit",
  "x-ratelimit-remaining",
  "x-ratelimit-reset",
  "access-control-allow-origin",
  "access-control-allow-credentials",
  "access-control-expose-headers",
]);
/** Content headers a 304 leaves out (RFC 9110 §15.4.5). */
const CONTENT_HEADERS = new Set(["content-type", "content-length", "content-encoding", "content-language"]);

/** What moleculer-web hangs on a routed request: the alias and the called action's definition. */
interface RoutedRequest {
  $alias?: ArenaRequest["$alias"];
  $endpoint?: { action?: { name?: string; service?: { name?: string }; cache?: unknown } };
}

/**
 * A routed GET that missed: its answer is stored if it is a 200 of a public cached read (and gets
 * its ETag; a request that already holds those bytes gets a 304).
 */
export function watchRoutedAnswer(
  cache: ResponseCache,
  logger: LoggerInstance,
  req: ArenaRequest,
  res: ServerResponse,
  url: string,
): void {
  const generation = cache.generation;
  const end = res.end as (...args: unknown[]) => ServerResponse;
  res.end = function (this: ServerResponse, ...args: unknown[]) {
    try {
      const etag = fill(cache, req as ArenaRequest & RoutedRequest, res, url, generation, args[0]);
      if (etag !== undefined && matchesIfNoneMatch(req.headers["if-none-match"], etag)) {
        // The client holds these bytes already (an entry dropped or expired since): 304, as a hit would.
        res.statusCode = 304;
        for (const name of CONTENT_HEADERS) res.removeHeader(name);
        return end.call(this);
      }
    } catch (err) {
      logger.warn("Fast path: answer not cached", (err as Error).message);
    }
    return end.apply(this, args);
  } as ServerResponse["end"];
}

function fill(
  cache: ResponseCache,
  req: ArenaRequest & RoutedRequest,
  res: ServerResponse,
  url: string,
  generation: number,
  chunk: unknown,
): string | undefined {
  if (res.statusCode !== 200 || res.headersSent || generation !== cache.generation) return undefined;
  if (typeof chunk !== "string" && !Buffer.isBuffer(chunk)) return;
  const spec = req.$alias?.spec;
  if (!spec) return;
  const action = req.$endpoint?.action;
  const ttlS = cachedReadTtlS(spec, action?.cache);
  if (ttlS === undefined || action?.name === undefined) return;
  const service = action.service?.name ?? action.name.slice(0, action.name.lastIndexOf("."));
  const body = chunk;
  const length = Buffer.byteLength(body);
  if (length > MAX_BODY_BYTES) return;
  const kept: string[] = [];
  for (const [name, value] of Object.entries(res.getHeaders())) {
    if (value === undefined) continue;
    // A cookie is someone's; an answer that varies by a request header cannot be keyed by URL alone.
    if (name === "set-cookie") return;
    if (name === "vary") {
      if (String(value).toLowerCase() !== "origin") return;
      continue;
    }
    if (PER_REQUEST_HEADERS.has(name) || SECURITY_HEADER_NAMES.has(name)) continue;
    kept.push(name, Array.isArray(value) ? value.join(", ") : String(value));
  }
  const own = res.getHeader("etag");
  const etag = typeof own === "string" ? own : etagOf(body);
  if (own === undefined) res.setHeader("ETag", etag);
  const notModified = ["ETag", etag];
  for (let i = 0; i < kept.length; i += 2) {
    if (!CONTENT_HEADERS.has(kept[i] as string)) notModified.push(kept[i] as string, kept[i + 1] as string);
  }
  const ttlMs = Math.min(cache.ttlMs, ttlS * 1000);
  cache.set(
    url,
    {
      body,
      etag,
      headers: [...kept, "Content-Length", String(length), "ETag", etag],
      notModifiedHeaders: notModified,
      route: req.$alias?.fullPath ?? spec.path,
      service,
      expiresAt: Date.now() + ttlMs,
    },
    generation,
  );
  return etag;
}
