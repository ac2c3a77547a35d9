/**
 * The gateway answering by itself, before moleculer-web and without an
 * action call (issue 19: both cost several times a bare server's whole
 * request). Two kinds of request, both GET or HEAD without a body, without
 * `Authorization` and without a `Cookie` header (per-user answers are never
 * shared: such a request always takes the routed path):
 *
 * - `/api/v1/status` when this node runs the status service: its JSON built
 *   here (node-status.ts), the body rebuilt when the uptime second moves.
 * - Cached public reads: the raw URL (path and query as sent) of a route that
 *   any caller may read (auth none or optional, no roles, the API rate-limit
 *   bucket) and whose action is a public cached read (mixins/read-cache
 *   `publicRead`). The bytes come from a routed answer (200 only, so a URL
 *   with an unknown or invalid query parameter, answered 400, never gets
 *   here), with an ETag added to that answer. The owning service's
 *   `cache.invalidated` broadcast (every gateway node receives it) drops its
 *   answers; API_RESPONSE_CACHE_TTL_MS bounds one whose event was lost. See
 *   docs/data-layer.md, "Cached reads", for the staleness bound.
 *
 * What the routed path does and this one keeps: X-Request-Id, the security
 * headers, Keep-Alive (Connection: close while draining), CORS (the same
 * rule, moleculer-web's writer; a refused origin goes the routed way to its
 * 403), the per-IP API rate limit with its X-RateLimit-* headers, HEAD,
 * If-None-Match → 304, the RED metrics. The rate limit is counted in the
 * gateway's own store when it is in memory (embedded: the same budget as
 * routed requests); with Redis, in a per-node memory window of the same size
 * (RATE_LIMIT_PER_IP per window per node, no Redis round trip). A client
 * past it takes the routed path, which answers 429 from the shared budget.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { clientIp } from "../../../lib/http/client-ip";
import { runWithLazyRequestContext } from "../../../lib/logging/request-context";
import { LeasedRateLimitStore, MemoryRateLimitStore, type LocalHits } from "../../../lib/rate-limit";
import { traceIdOf } from "../../../lib/tracing/trace-ids";
import { nodeStatus } from "../../platform/status/node-status";
import type { StatusThis } from "../../platform/status/status.context";
import type { ApiThis, ArenaRequest, FastAnswerer } from "./api.context";
import { cachedReadTtlS, etagOf, matchesIfNoneMatch, ResponseCache, type CachedAnswer } from "./fast-cache";
import { fastHttpMetrics, type FastObserver } from "./http-metrics";
import {
  requestIdFrom,
  SECURITY_HEADER_NAMES,
  SECURITY_HEADER_PAIRS,
  SECURITY_HEADER_PAIRS_TLS,
} from "./http-preamble";
import { DEFAULT_BASE_PATH } from "./route-table";

/** Larger answers are routed every time (a page of a list is a few KB). */
const MAX_BODY_BYTES = 256 * 1024;
const JSON_TYPE = "application/json; charset=utf-8";
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

/** moleculer-web's CORS writer (the same one media-direct.ts calls). */
interface CorsWriter {
  writeCorsHeaders(route: { cors: unknown }, req: ArenaRequest, res: ServerResponse, isPreFlight: boolean): void;
}

/** What moleculer-web hangs on a routed request: the alias and the called action's definition. */
interface RoutedRequest {
  $alias?: ArenaRequest["$alias"];
  $endpoint?: { action?: { name?: string; service?: { name?: string }; cache?: unknown } };
}

interface StatusBody {
  uptimeS: number;
  /** A string: written in one go with the headers (see CachedAnswer.body). */
  body: string;
  headers: readonly string[];
}

export class FastPath implements FastAnswerer {
  readonly cache: ResponseCache;
  private readonly limits: LocalHits;
  private readonly metrics: FastObserver | undefined;
  private readonly keepAlive: readonly string[];
  private readonly perIpText: string;
  /** Per-request lines only at debug or trace, as for routed requests (api.service.ts `logging`). */
  private readonly logRequests: boolean;
  /** `/api/v1/status` when the route table maps it to `status.get` for anyone; undefined otherwise. */
  private readonly statusUrl: string | undefined;
  private statusService: StatusThis | undefined;
  private statusLookedUpAt = -Infinity;
  private status: StatusBody | undefined;

  constructor(private readonly svc: ApiThis) {
    const config = svc.config;
    // No cacher, or the read cache off: services broadcast no invalidations, so nothing may be kept.
    const size = svc.broker.cacher && config.readCacheTtlS > 0 ? config.api.responseCacheSize : 0;
    this.cache = new ResponseCache(size, config.api.responseCacheTtlMs);
    // The gateway's own counters: memory (one node) or the Redis lease (shared budget, counted here while the lease
    // lasts); any other store gets a per-node window.
    const store = svc.limitStore;
    this.limits =
      store instanceof MemoryRateLimitStore || store instanceof LeasedRateLimitStore
        ? store
        : new MemoryRateLimitStore();
    this.metrics = fastHttpMetrics(svc.broker);
    this.keepAlive = svc.drain.keepAliveHeader;
    this.perIpText = String(svc.limitPolicy.perIp);
    this.logRequests = config.log.level === "debug" || config.log.level === "trace";
    for (const table of svc.tables) {
      const spec = table.routes.find((r) => r.action === "status.get" && r.method === "GET" && r.auth === "none");
      if (spec) this.statusUrl = `${(table.basePath ?? DEFAULT_BASE_PATH).replace(/\/+$/, "")}${spec.path}`;
    }
  }

  /** `service` changed its data (its `cache.invalidated` broadcast): its answers go now. */
  invalidate(service: string): void {
    this.cache.invalidate(service);
  }

  /**
   * True when the request was answered here (the response is ended). False leaves the request
   * untouched for the routed path; a GET that could become a cached answer is watched on its way out.
   */
  serve(incoming: IncomingMessage, res: ServerResponse): boolean {
    try {
      return this.answer(incoming as ArenaRequest, res);
    } catch (err) {
      // Nothing sent yet: the routed path answers (and renders whatever failed). Otherwise the answer is cut.
      this.svc.logger.warn("Fast path failed", (err as Error).message);
      if (!res.headersSent) return false;
      res.destroy();
      return true;
    }
  }

  private answer(req: ArenaRequest, res: ServerResponse): boolean {
    const method = req.method;
    if (method !== "GET" && method !== "HEAD") return false;
    const url = req.url;
    if (url === undefined || !url.startsWith("/api/")) return false;
    const headers = req.headers;
    if (
      headers.authorization !== undefined ||
      headers.cookie !== undefined ||
      headers["content-length"] !== undefined ||
      headers["transfer-encoding"] !== undefined
    )
      return false;
    const now = Date.now();
    let answer: CachedAnswer | StatusBody | undefined;
    let route: string;
    if (url === this.statusUrl) {
      answer = this.statusAnswer(now);
      route = url;
    } else if (this.cache.enabled) {
      answer = this.cache.get(url, now);
      if (answer === undefined && method === "GET") this.watch(req, res, url);
      route = answer?.route ?? "";
    } else return false;
    if (answer === undefined) return false;
    const startedNs = this.metrics ? process.hrtime.bigint() : 0n;

    const peer = req.socket.remoteAddress;
    const viaProxy = this.svc.proxies.isTrusted(peer ?? "");
    const https =
      (req.socket as { encrypted?: boolean }).encrypted === true ||
      (viaProxy && headers["x-forwarded-proto"] === "https");
    if (headers.origin !== undefined) {
      try {
        (this.svc as unknown as CorsWriter).writeCorsHeaders({ cors: this.svc.settings.cors }, req, res, false);
      } catch {
        // A refused origin: the routed path answers it (403, the one error body).
        return false;
      }
    }
    const ip = clientIp(peer, headers["x-forwarded-for"], this.svc.proxies);
    const policy = this.svc.limitPolicy;
    const hit = this.limits.takeNow({ key: `ip:${ip}`, limit: policy.perIp, windowMs: policy.windowMs });
    // Lease used up: the routed path asks Redis for the next run. Over budget: it answers 429 with Retry-After
    // and the error body (over-budget hits are not counted again: a spent window stays spent).
    if (!hit || hit.count > policy.perIp) return false;

    const out = (https ? SECURITY_HEADER_PAIRS_TLS : SECURITY_HEADER_PAIRS).slice();
    const draining = this.svc.drain.answeredNow(req);
    const requestId = requestIdFrom(headers["x-request-id"]);
    out.push(
      "X-Request-Id",
      requestId,
      draining ? "Connection" : (this.keepAlive[0] as string),
      draining ? "close" : (this.keepAlive[1] as string),
      "X-RateLimit-Limit",
      this.perIpText,
      "X-RateLimit-Remaining",
      String(policy.perIp - hit.count),
      "X-RateLimit-Reset",
      String(Math.ceil(hit.resetAt / 1000)),
    );
    let code: 200 | 304 = 200;
    if ("etag" in answer && matchesIfNoneMatch(headers["if-none-match"], answer.etag)) {
      code = 304;
      for (const h of answer.notModifiedHeaders) out.push(h);
      res.writeHead(304, out);
      res.end();
    } else {
      for (const h of answer.headers) out.push(h);
      res.writeHead(200, out);
      // HEAD: Node writes no body for it whatever end() is given; the headers above announce its length.
      if (method === "HEAD") res.end();
      else res.end(answer.body);
    }
    this.metrics?.(method, route, code, startedNs);
    if (this.logRequests) this.logAnswer(requestId, ip, `<= ${code} ${method} ${url} (fast path)`);
    return true;
  }

  /**
   * At debug level routed requests get moleculer-web's request lines; a fast answer gets one too,
   * in the same request context (its id, trace id and client address on the line).
   */
  private logAnswer(requestId: string, ip: string, line: string): void {
    runWithLazyRequestContext(
      () => ({ requestId, traceId: traceIdOf(requestId), clientIp: ip }),
      () => this.svc.logger.debug(line),
    );
  }

  /** The status JSON of this node, when it runs the status service. */
  private statusAnswer(now: number): StatusBody | undefined {
    if (this.statusService === undefined) {
      // Services start in any order: look again at most once a second while it is not (yet) here.
      if (now - this.statusLookedUpAt < 1000) return undefined;
      this.statusLookedUpAt = now;
      this.statusService = this.svc.broker.getLocalService("status") as StatusThis | undefined;
      if (this.statusService === undefined) return undefined;
    }
    // The only field that moves is the uptime, in whole seconds: rebuild when it does.
    const uptimeS = Math.round(process.uptime());
    if (this.status?.uptimeS !== uptimeS) {
      const body = JSON.stringify(nodeStatus(this.statusService));
      this.status = {
        uptimeS,
        body,
        headers: ["Content-Type", JSON_TYPE, "Content-Length", String(Buffer.byteLength(body))],
      };
    }
    return this.status;
  }

  /**
   * A routed GET that missed: its answer is stored if it is a 200 of a public cached read (and gets
   * its ETag; a request that already holds those bytes gets a 304).
   */
  private watch(req: ArenaRequest, res: ServerResponse, url: string): void {
    const generation = this.cache.generation;
    const end = res.end as (...args: unknown[]) => ServerResponse;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the wrapper runs with the response as `this`
    const fast = this;
    res.end = function (this: ServerResponse, ...args: unknown[]) {
      try {
        const etag = fast.fill(req as ArenaRequest & RoutedRequest, res, url, generation, args[0]);
        if (etag !== undefined && matchesIfNoneMatch(req.headers["if-none-match"], etag)) {
          // The client holds these bytes already (an entry dropped or expired since): 304, as a hit would.
          res.statusCode = 304;
          for (const name of CONTENT_HEADERS) res.removeHeader(name);
          return end.call(this);
        }
      } catch (err) {
        fast.svc.logger.warn("Fast path: answer not cached", (err as Error).message);
      }
      return end.apply(this, args);
    } as ServerResponse["end"];
  }

  private fill(
    req: ArenaRequest & RoutedRequest,
    res: ServerResponse,
    url: string,
    generation: number,
    chunk: unknown,
  ): string | undefined {
    if (res.statusCode !== 200 || res.headersSent || generation !== this.cache.generation) return undefined;
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
    const ttlMs = Math.min(this.cache.ttlMs, ttlS * 1000);
    this.cache.set(
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
}
