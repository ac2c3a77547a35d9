/**
 * api: the REST gateway. Explicit routes from the route tables only, bearer
 * JWT auth, per-IP and per-user rate limits, one error body shape, OpenAPI
 * and health endpoints, the built web client at `/`; everything else is a
 * 404. It offers no actions of its own (moleculer-web's `rest` is internal).
 * Request handling lives in the neighbouring files; this file wires
 * moleculer-web's hooks and the HTTP server's lifecycle.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Context, ServiceSchema } from "moleculer";
import ApiGateway from "moleculer-web";
import type { ArenaMeta, AuthUser } from "../../../lib/auth/auth-user";
import type { ArenaClaims } from "../../../lib/auth/claims";
import { createTokenVerifier } from "../../../lib/auth/create-token-verifier";
import { getConfig } from "../../../lib/config";
import { onEvent } from "../../../lib/contracts";
import "../../../mixins/read-cache/read-cache.events";
import { TrustedProxies } from "../../../lib/http/client-ip";
import { createRateLimitStore } from "../../../lib/rate-limit";
import { isRedisDown } from "../../../lib/redis/bounded-redis";
import { restSpanName, restSpanTags } from "../../../lib/tracing/span-tags";
import { GatewayIdentityMixin } from "../../../mixins/gateway-identity";
import type { ApiSettings, ApiThis, ArenaRequest } from "./api.context";
import { answerClientError } from "./client-error";
import { FastPath } from "./fast-path";
import { handleHttp, renderError } from "./http-entry";
import { HttpDrain } from "./http-drain";
import { httpMetrics } from "./http-metrics";
import { rejectDeepJson } from "./json-depth";
import { jsonOnly } from "./json-only";
import { authBudget } from "./limits";
import { rejectUnknownBody } from "./body-check";
import { rejectUnknownQuery } from "./query-check";
import { authenticateRequest, authorizeRequest } from "./request-auth";
import { buildWebRoutes, type AliasDefinition } from "./route-aliases";
import { ROUTE_TABLES } from "./route-tables";
import { createWebClient } from "./web-front";
import { UserAnswersMixin } from "./user-answers";

export type { ApiSettings, ApiThis } from "./api.context";

const SHUTDOWN_GRACE_MS = 10_000;
/** What clients are told (Keep-Alive: timeout=5), Node's default; the server keeps idle connections longer (http-drain.ts). */
const KEEP_ALIVE_MS = 5_000;

const ApiService: ServiceSchema<ApiSettings, ApiThis> = {
  name: "api",
  // GatewayIdentityMixin: revoked-session check and Keycloak first-sight provisioning (identity slice).
  // UserAnswersMixin: /me kept per user on the gateway; first, so its callAction wraps moleculer-web's.
  mixins: [UserAnswersMixin(), ApiGateway, GatewayIdentityMixin()],

  settings: {
    // We own the HTTP server (request ids, security headers, health) and hand routed requests to moleculer-web.
    server: false,
    log4XXResponses: false,
    logRequest: "debug",
    logResponse: "debug",
    rootCallOptions(this: ApiThis, options: { meta?: ArenaMeta }, req: ArenaRequest) {
      const userAgent = req.headers["user-agent"]?.slice(0, 256);
      options.meta = { requestId: req.$arena.requestId, clientIp: req.$arena.clientIp, userAgent };
    },
    onError(this: ApiThis, req: IncomingMessage, res: ServerResponse, err: unknown) {
      renderError(this, req, res, err);
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

  events: {
    // Every gateway node hears each service's change broadcast (mixins/read-cache): its cached answers go.
    ...onEvent("cache.invalidated", function (this: ApiThis, payload) {
      this.fastPath.invalidate(payload.service);
    }),
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

    authenticate(
      this: ApiThis,
      ctx: Context<unknown, ArenaMeta & Record<string, unknown>>,
      _route: unknown,
      req: ArenaRequest,
      res: ServerResponse,
      alias: AliasDefinition,
    ) {
      return authenticateRequest(this, ctx, req, res, alias);
    },

    authorize(
      this: ApiThis,
      ctx: Context<unknown, ArenaMeta>,
      _route: unknown,
      req: ArenaRequest,
      _res: ServerResponse,
      alias: AliasDefinition,
    ) {
      authorizeRequest(ctx, alias);
      rejectUnknownQuery(req, alias);
      rejectUnknownBody(req, alias);
    },

    /** Replaces moleculer-web's, which logs every 5xx (503s included) with a stack at error level. */
    errorHandler(this: ApiThis, req: IncomingMessage, res: ServerResponse, err: unknown) {
      renderError(this, req, res, err);
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
        "Location",
        "Allow",
        "Retry-After",
        "X-RateLimit-Limit",
        "X-RateLimit-Remaining",
        "X-RateLimit-Reset",
      ],
      credentials: false,
      maxAge: 600,
    };
    // buildWebRoutes orders the aliases (literal segments first); moleculer-web's reordering would undo it.
    settings.optimizeOrder = false;
    settings.routes = buildWebRoutes(tables).map((r) => ({
      name: r.name,
      path: r.path,
      mappingPolicy: "restrict",
      // moleculer-web builds its colored request/response lines (logRequest/logResponse, debug level) for every
      // request whether or not the level prints them: about 2% of a routed request's CPU (issue 19).
      logging: config.log.level === "debug" || config.log.level === "trace",
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
    // Leased: the per-request limits cost Redis a round trip per run of hits, not per request.
    this.limitStore = createRateLimitStore(this.config, undefined, this.logger, { leased: true });
    this.limitPolicy = {
      windowMs: this.config.api.rateLimit.windowMs,
      perIp: this.config.api.rateLimit.perIp,
      perUser: this.config.api.rateLimit.perUser,
      mediaPerIp: this.config.api.rateLimit.mediaPerIp,
      authPerIp: authBudget(this.config.api.rateLimit.perIp),
      searchPerIp: this.config.api.rateLimit.searchPerIp,
      searchPerUser: this.config.api.rateLimit.searchPerUser,
      // While Redis is known down the store fails fast and said so once; only surprises are worth a line each.
      onStoreError: (err) =>
        isRedisDown(err) || this.logger.warn("Rate-limit store failed, allowing request", (err as Error).message),
    };
    this.observeHttp = httpMetrics(this.broker);
    this.webClient = createWebClient(this.config);
    this.server = createServer((req, res) => handleHttp(this, req, res));
    this.server.requestTimeout = 300_000;
    this.drain = new HttpDrain(this.server, this.settings.keepAliveMs ?? KEEP_ALIVE_MS);
    this.fastPath = new FastPath(this);
    this.onShutdownSignal = () => {
      this.logger.info("Shutdown signal: no new connections, finishing the requests in flight");
      this.drain.beginDrain();
    };
    this.server.on("clientError", answerClientError);
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
