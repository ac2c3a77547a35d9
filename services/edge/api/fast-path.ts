/**
 * The gateway answering by itself, before moleculer-web and without an
 * action call (issue 19: both cost several times a bare server's whole
 * request). Two kinds of request, both GET or HEAD without a body, without
 * `Authorization` and without a `Cookie` header (per-user answers are never
 * shared: such a request always takes the routed path):
 *
 * - `/api/v1/status` when this node runs the status service: its JSON built
 *   in fast-status.ts (node-status.ts), the body rebuilt when the uptime
 *   second moves.
 * - Cached public reads: the raw URL (path and query as sent) of a route that
 *   any caller may read (auth none or optional, no roles, the API rate-limit
 *   bucket) and whose action is a public cached read (mixins/read-cache
 *   `publicRead`). The bytes come from a routed answer (fast-cache-fill.ts;
 *   200 only, so a URL with an unknown or invalid query parameter, answered
 *   400, never gets here), with an ETag added to that answer. The owning service's
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
import type { ApiThis, ArenaRequest, FastAnswerer } from "./api.context";
import { matchesIfNoneMatch, ResponseCache, type CachedAnswer } from "./fast-cache";
import { watchRoutedAnswer } from "./fast-cache-fill";
import { FastStatus, type StatusBody } from "./fast-status";
import { fastHttpMetrics, type FastObserver } from "./http-metrics";
import { requestIdFrom, SECURITY_HEADER_PAIRS, SECURITY_HEADER_PAIRS_TLS } from "./http-preamble";
import { DEFAULT_BASE_PATH } from "./route-table";

/** moleculer-web's CORS writer (the same one media-direct.ts calls). */
interface CorsWriter {
  writeCorsHeaders(route: { cors: unknown }, req: ArenaRequest, res: ServerResponse, isPreFlight: boolean): void;
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
  private readonly status: FastStatus;

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
    this.status = new FastStatus(svc.broker);
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
      answer = this.status.answer(now);
      route = url;
    } else if (this.cache.enabled) {
      answer = this.cache.get(url, now);
      if (answer === undefined && method === "GET") watchRoutedAnswer(this.cache, this.svc.logger, req, res, url);
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
}
