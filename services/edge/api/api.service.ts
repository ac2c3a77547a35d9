import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Context, Service, ServiceSchema } from "moleculer";
import ApiGateway from "moleculer-web";
import type { ArenaMeta, AuthUser } from "../../../lib/auth/auth-user";
import type { ArenaClaims } from "../../../lib/auth/claims";
import { createTokenVerifier } from "../../../lib/auth/create-token-verifier";
import type { JwtVerifier } from "../../../lib/auth/jwt-verifier";
import { getConfig, type ArenaConfig } from "../../../lib/config";
import { ForbiddenError, UnauthorizedError } from "../../../lib/errors";
import { createRateLimitStore, type RateLimitStore } from "../../../lib/rate-limit";
import { clientIp, TrustedProxies } from "../../../lib/http/client-ip";
import { isRedisDown } from "../../../lib/redis/bounded-redis";
import type { IdempotentCallsLocals } from "../../../lib/broker/failover-guard";
import { toErrorResponse } from "./error-body";
import { readinessChecks, type ReadinessCheck } from "./health";
import { HttpDrain } from "./http-drain";
import { requestIdFrom, writeSecurityHeaders } from "./http-preamble";
import { httpMetrics, type HttpObserver } from "./http-metrics";
import { runWithRequestContext } from "../../../lib/logging/request-context";
import { restSpanName, restSpanTags } from "../../../lib/tracing/span-tags";
import { traceIdOf } from "../../../lib/tracing/trace-ids";
import { authBudget, enforceLimits, type LimitPolicy } from "./limits";
import { buildOpenApi } from "./openapi";
import { buildWebRoutes, type AliasDefinition } from "./route-aliases";
import type { RouteTable } from "./route-table";
import { ROUTE_TABLES } from "./route-tables";
import { jsonOnly } from "./json-only";
import { rejectDeepJson } from "./json-depth";
import { createWebClient, serveWebFront } from "./web-front";
import type { WebClient } from "./web-static";
import { GatewayIdentityMixin, type GatewayIdentityThis } from "../../../mixins/gateway-identity";

/**
 * The REST gateway: explicit routes from the route tables only, bearer JWT
 * auth, per-IP and per-user rate limits, one error body shape, OpenAPI and
 * health endpoints. Everything else is a 404.
 */
export interface ApiSettings {
  /** Test hook: route tables to serve instead of ROUTE_TABLES. */
  routeTables?: RouteTable[];
  /** Test hook: how often an unknown kid may refetch the JWKS (default 30s). */
  jwksMinRefetchMs?: number;
  /** Test hook: the keep-alive timeout advertised to clients (default 5 s). */
  keepAliveMs?: number;
  [key: string]: unknown;
}

/** What the gateway attaches to each incoming request before routing. */
interface ArenaRequest extends IncomingMessage {
  $arena: { requestId: string; clientIp: string; https: boolean };
  $alias?: AliasDefinition;
}

export interface ApiThis extends Service<ApiSettings>, Pick<GatewayIdentityThis, "resolveIdentity"> {
  config: ArenaConfig;
  proxies: TrustedProxies;
  verifier: JwtVerifier;
  limitStore: RateLimitStore;
  limitPolicy: LimitPolicy;
  server: Server;
  /** RED metrics per route (http-metrics.ts). */
  observeHttp: HttpObserver;
  tables: RouteTable[];
  /** The built web client at `/` and its cookie session (web-front.ts). */
  webClient: WebClient;
  /** The readiness check in flight, shared by every request that arrives meanwhile. */
  readiness?: Promise<ReadinessCheck[]>;
  /** Keep-alive and graceful shutdown of the HTTP server (http-drain.ts). */
  drain: HttpDrain;
  /** SIGTERM/SIGINT listener: starts draining before the broker stops anything. */
  onShutdownSignal: () => void;
  httpHandler(req: IncomingMessage, res: ServerResponse): Promise<void>;
  handleHttp(req: IncomingMessage, res: ServerResponse): void;
  serveSystem(req: ArenaRequest, res: ServerResponse): Promise<boolean>;
  sendJson(res: ServerResponse, status: number, body: unknown): void;
  renderError(req: IncomingMessage, res: ServerResponse, err: unknown): void;
  resolveUser(ctx: Context<unknown, ArenaMeta>, claims: ArenaClaims, mapped: AuthUser): Promise<AuthUser>;
  boundPort(): number;
}

const SHUTDOWN_GRACE_MS = 10_000;
/** What clients are told (Keep-Alive: timeout=5), Node's default; the server keeps idle connections longer (http-drain.ts). */
const KEEP_ALIVE_MS = 5_000;

function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer[ ]+([^ ]+)[ ]*$/i.exec(header);
  // A present but unusable Authorization header is an auth failure, not anonymous access.
  if (!match) throw new UnauthorizedError("Authorization header must be 'Bearer <token>'");
  return match[1];
}

const ApiService: ServiceSchema<ApiSettings, ApiThis> = {
  name: "api",
  // GatewayIdentityMixin: revoked-session check and Keycloak first-sight provisioning (identity slice).
  mixins: [ApiGateway, GatewayIdentityMixin()],

  settings: {
    // We own the HTTP server (request ids, security headers, health) and hand routed requests to moleculer-web.
    server: false,
    log4XXResponses: false,
    logRequest: "debug",
    logResponse: "debug",
    rootCallOptions(this: ApiThis, options: { meta?: ArenaMeta }, req: ArenaRequest) {
      options.meta = { requestId: req.$arena.requestId, clientIp: req.$arena.clientIp };
    },
    onError(this: ApiThis, req: IncomingMessage, res: ServerResponse, err: unknown) {
      this.renderError(req, res, err);
    },
  },

  actions: {
    // moleculer-web's introspection actions are not part of our surface.
    listAliases: false,
    addRoute: false,
    removeRoute: false,
    // A retried `rest` call would re-route an already-consumed request (and
    // answer 404); the inner action call carries the retry policy instead.
    rest: {
      retryPolicy: { enabled: false },
      // moleculer-web names and tags this span with the full URL: signed media signatures live in the query.
      tracing: { spanName: restSpanName, tags: restSpanTags },
    },
  },

  methods: {
    /** Hook for the identity service: Keycloak first-sight provisioning and session-revocation checks go here. */
    async resolveUser(
      this: ApiThis,
      ctx: Context<unknown, ArenaMeta>,
      claims: ArenaClaims,
      mapped: AuthUser,
    ): Promise<AuthUser> {
      return this.resolveIdentity(ctx, claims, mapped);
    },

    async authenticate(
      this: ApiThis,
      ctx: Context<unknown, ArenaMeta & Record<string, unknown>>,
      _route: unknown,
      req: ArenaRequest,
      res: ServerResponse,
      alias: AliasDefinition,
    ) {
      const spec = alias.spec;
      // A GET (or HEAD) may be sent to another node when the first one dies mid-call (lib/broker/failover-guard.ts).
      (ctx.locals as IdempotentCallsLocals).idempotentCalls = req.method === "GET" || req.method === "HEAD";
      const bucket = spec.rateLimitBucket ?? "api";
      await enforceLimits(this.limitStore, this.limitPolicy, res, {
        ip: req.$arena.clientIp,
        bucket: bucket === "media" ? "media" : "api",
      });
      if (bucket === "auth")
        await enforceLimits(this.limitStore, this.limitPolicy, res, { ip: req.$arena.clientIp, bucket: "auth" });
      let user: AuthUser | undefined;
      if (spec.auth !== "none") {
        const token = bearerToken(req.headers.authorization);
        if (token) {
          const verified = await this.verifier.verifyToken(token);
          user = await this.resolveUser(ctx, verified.claims, verified.user);
        }
      }
      if (user) await enforceLimits(this.limitStore, this.limitPolicy, res, { userId: user.id });
      // Signed media answers single byte ranges (players seeking in MP4 and HLS).
      if (spec.rateLimitBucket === "media" && typeof req.headers.range === "string") ctx.meta.range = req.headers.range;
      if (spec.stream) {
        // The body is the params stream; its size and type travel in meta for the upload action.
        ctx.meta.contentType = req.headers["content-type"];
        const length = Number(req.headers["content-length"]);
        if (Number.isFinite(length)) ctx.meta.contentLength = length;
      }
      return user ?? null;
    },

    async authorize(
      this: ApiThis,
      ctx: Context<unknown, ArenaMeta>,
      _route: unknown,
      _req: ArenaRequest,
      _res: ServerResponse,
      alias: AliasDefinition,
    ) {
      const spec = alias.spec;
      const user = ctx.meta.user ?? undefined;
      if (!user) delete ctx.meta.user;
      const roles = spec.roles ?? [];
      if ((spec.auth === "required" || roles.length > 0) && !user) throw new UnauthorizedError();
      if (user && roles.length > 0 && !user.roles.includes("admin") && !roles.some((r) => user.roles.includes(r))) {
        throw new ForbiddenError(`Requires one of the roles: ${roles.join(", ")}`);
      }
    },

    handleHttp(this: ApiThis, incoming: IncomingMessage, res: ServerResponse) {
      const req = incoming as ArenaRequest;
      this.drain.track(req, res);
      this.observeHttp(req, res);
      const requestId = requestIdFrom(req.headers["x-request-id"]);
      // moleculer-web reads these for ctx.requestID; make sure it sees the sanitized id only.
      req.headers["x-request-id"] = requestId;
      delete req.headers["x-correlation-id"];
      const peer = req.socket.remoteAddress;
      const viaProxy = this.proxies.isTrusted(peer ?? "");
      const https =
        (req.socket as { encrypted?: boolean }).encrypted === true ||
        (viaProxy && req.headers["x-forwarded-proto"] === "https");
      req.$arena = { requestId, clientIp: clientIp(peer, req.headers["x-forwarded-for"], this.proxies), https };
      res.setHeader("X-Request-Id", requestId);
      writeSecurityHeaders(res, https);
      // Every log line of this request, on this node and the ones it calls, names it (ELK).
      runWithRequestContext({ requestId, traceId: traceIdOf(requestId), clientIp: req.$arena.clientIp }, () =>
        this.serveSystem(req, res)
          .then(async (served) => {
            if (served || (await serveWebFront(this, req, res))) return undefined;
            // HEAD is GET without a body (RFC 9110 §9.3.2): route it to the GET alias. Node
            // already decided at request time that this response has no body, so
            // whatever the action returns is measured but never written.
            if (req.method === "HEAD") req.method = "GET";
            return this.httpHandler(req, res);
          })
          .catch((err: unknown) => this.renderError(req, res, err)),
      );
    },

    /** Health and OpenAPI: answered before routing so they never depend on auth, limits or route tables. */
    async serveSystem(this: ApiThis, req: ArenaRequest, res: ServerResponse): Promise<boolean> {
      if (req.method !== "GET" && req.method !== "HEAD") return false;
      const path = (req.url ?? "/").split("?")[0];
      if (path === "/health/live") {
        this.sendJson(res, 200, { status: "ok" });
        return true;
      }
      if (path === "/health/ready") {
        // Health routes are never rate limited (an orchestrator's probe must not get a 429), so a
        // flood of /health/ready must not become a flood of database pings: requests arriving
        // while a check runs share its result.
        this.readiness ??= readinessChecks(this.broker).finally(() => {
          this.readiness = undefined;
        });
        const checks = await this.readiness;
        // Draining (SIGTERM): a load balancer still probing must stop sending new requests here.
        if (this.drain.isDraining) checks.push({ name: "gateway", ok: false, error: "shutting down" });
        const ok = checks.every((c) => c.ok);
        this.sendJson(res, ok ? 200 : 503, { status: ok ? "ok" : "unavailable", checks });
        return true;
      }
      if (path === "/api/openapi.json") {
        // Built from the live registry on every call: it draws on the caller's per-IP API budget.
        await enforceLimits(this.limitStore, this.limitPolicy, res, { ip: req.$arena.clientIp, bucket: "api" });
        const actions = new Map(
          this.broker.registry
            .getActionList({ onlyAvailable: false, skipInternal: true, withEndpoints: false })
            .map((a: { name: string; action?: { params?: Record<string, unknown> } }) => [a.name, a.action?.params]),
        );
        const doc = buildOpenApi(this.tables, (name) => actions.get(name), {
          title: "Arena API",
          version: "1",
          serverUrl: this.config.publicUrl,
        });
        this.sendJson(res, 200, doc);
        return true;
      }
      return false;
    },

    sendJson(this: ApiThis, res: ServerResponse, status: number, body: unknown) {
      res.statusCode = status;
      res.setHeader("Content-Type", "application/json; charset=utf-8");
      res.setHeader("Cache-Control", "no-store");
      res.end(JSON.stringify(body));
    },

    /** Replaces moleculer-web's, which logs every 5xx (503s included) with a stack at error level. */
    errorHandler(this: ApiThis, req: IncomingMessage, res: ServerResponse, err: unknown) {
      this.renderError(req, res, err);
    },

    renderError(this: ApiThis, req: IncomingMessage, res: ServerResponse, err: unknown) {
      const requestId = (req as Partial<ArenaRequest>).$arena?.requestId ?? requestIdFrom(undefined);
      const rendered = toErrorResponse(err, requestId);
      if (rendered.unexpected)
        this.logger.error("Request failed", { requestId, method: req.method, url: req.url, err });
      else if (rendered.status === 503)
        this.logger.warn("Service unavailable", {
          requestId,
          method: req.method,
          url: req.url,
          reason: (err as Error)?.message,
        });
      if (res.headersSent) {
        // Mid-stream failure: the only honest signal left is an aborted response.
        res.destroy();
        return;
      }
      for (const [name, value] of Object.entries(rendered.headers)) res.setHeader(name, value);
      this.sendJson(res, rendered.status, rendered.body);
    },

    boundPort(this: ApiThis): number {
      return (this.server.address() as AddressInfo).port;
    },
  },

  merged(schema: ServiceSchema<ApiSettings>) {
    const config = getConfig();
    const settings = schema.settings as ApiSettings;
    const tables = settings.routeTables ?? ROUTE_TABLES;
    settings.port = config.api.port;
    settings.ip = config.api.host;
    settings.cors = {
      origin: config.api.corsOrigins,
      methods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
      allowedHeaders: ["Authorization", "Content-Type", "X-Request-Id"],
      exposedHeaders: [
        "X-Request-Id",
        "Retry-After",
        "X-RateLimit-Limit",
        "X-RateLimit-Remaining",
        "X-RateLimit-Reset",
      ],
      credentials: false,
      maxAge: 600,
    };
    settings.routes = buildWebRoutes(tables).map((r) => ({
      name: r.name,
      path: r.path,
      mappingPolicy: "restrict",
      autoAliases: false,
      aliases: r.aliases,
      authentication: true,
      authorization: true,
      bodyParsers: r.stream
        ? false
        : { json: { limit: config.api.bodyLimit, strict: true, verify: rejectDeepJson }, urlencoded: false },
      use: r.stream ? [] : [jsonOnly],
    }));
  },

  created(this: ApiThis) {
    this.config = getConfig();
    this.tables = this.settings.routeTables ?? ROUTE_TABLES;
    this.proxies = new TrustedProxies(this.config.api.trustedProxies);
    this.verifier = createTokenVerifier(this.broker, {
      config: this.config,
      minRefetchIntervalMs: this.settings.jwksMinRefetchMs,
    });
    this.limitStore = createRateLimitStore(this.config, undefined, this.logger);
    this.limitPolicy = {
      windowMs: this.config.api.rateLimit.windowMs,
      perIp: this.config.api.rateLimit.perIp,
      perUser: this.config.api.rateLimit.perUser,
      mediaPerIp: this.config.api.rateLimit.mediaPerIp,
      authPerIp: authBudget(this.config.api.rateLimit.perIp),
      // While Redis is known down the store fails fast and said so once; only surprises are worth a line each.
      onStoreError: (err) =>
        isRedisDown(err) || this.logger.warn("Rate-limit store failed, allowing request", (err as Error).message),
    };
    this.observeHttp = httpMetrics(this.broker);
    this.webClient = createWebClient(this.config);
    this.server = createServer((req, res) => this.handleHttp(req, res));
    this.server.requestTimeout = 300_000;
    this.drain = new HttpDrain(this.server, this.settings.keepAliveMs ?? KEEP_ALIVE_MS);
    this.onShutdownSignal = () => {
      this.logger.info("Shutdown signal: no new connections, finishing the requests in flight");
      this.drain.beginDrain();
    };
    this.server.on("clientError", (_err, socket) => socket.destroy());
  },

  async started(this: ApiThis) {
    // Bounded: with Redis down at boot the gateway starts anyway and fails open.
    await this.limitStore.ready?.(2000);
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.config.api.port, this.config.api.host, () => {
        this.server.off("error", reject);
        resolve();
      });
    });
    this.logger.info(`API gateway listening on http://${this.config.api.host}:${this.boundPort()}`);
    // The broker stops on these too, but only reaches this service's `stopped` after waiting for
    // running calls: stop taking new connections now, so that wait ends.
    process.once("SIGTERM", this.onShutdownSignal);
    process.once("SIGINT", this.onShutdownSignal);
    if (!this.webClient.available()) this.logger.info("Web client not built (npm run build -w web): / is not served");
  },

  async stopped(this: ApiThis) {
    process.off("SIGTERM", this.onShutdownSignal);
    process.off("SIGINT", this.onShutdownSignal);
    // In-flight requests get a grace period; a long media stream must not block shutdown forever.
    if (this.server.listening || this.drain.isDraining) await this.drain.finishDrain(SHUTDOWN_GRACE_MS);
    await this.limitStore.close();
  },
};

export default ApiService;
