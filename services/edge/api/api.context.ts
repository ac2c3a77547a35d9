/** The typed `this` of the REST gateway, its settings, and what it attaches to each request. */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Context, Service } from "moleculer";
import type { ArenaMeta, AuthUser } from "../../../lib/auth/auth-user";
import type { ArenaClaims } from "../../../lib/auth/claims";
import type { JwtVerifier } from "../../../lib/auth/jwt-verifier";
import type { ArenaConfig } from "../../../lib/config";
import type { TrustedProxies } from "../../../lib/http/client-ip";
import type { RateLimitStore } from "../../../lib/rate-limit";
import type { GatewayIdentityThis } from "../../../mixins/gateway-identity";
import type { ReadinessCheck } from "./health";
import type { HttpDrain } from "./http-drain";
import type { HttpObserver } from "./http-metrics";
import type { LimitPolicy } from "./limits";
import type { AliasDefinition } from "./route-aliases";
import type { RouteTable } from "./route-table";
import type { WebClient } from "./web-static";

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
export interface ArenaRequest extends IncomingMessage {
  $arena: { requestId: string; clientIp: string; https: boolean };
  /** Set by moleculer-web once routed: our definition plus its matcher. */
  $alias?: AliasDefinition & { fullPath?: string; match?(url: string): Record<string, unknown> | false };
  /** Set by moleculer-web: the path without query string or trailing slash. */
  parsedUrl?: string;
}

/** The gateway answering by itself (fast-path.ts): node status and cached anonymous reads. */
export interface FastAnswerer {
  /** True when the request was answered (ended); false leaves it to the routed path. */
  serve(req: IncomingMessage, res: ServerResponse): boolean;
  /** The service's `cache.invalidated` broadcast: its cached answers go. */
  invalidate(service: string): void;
}

export interface ApiThis
  extends Service<ApiSettings>, Pick<GatewayIdentityThis, "resolveIdentity" | "revokedSessions"> {
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
  fastPath: FastAnswerer;
  /** SIGTERM/SIGINT listener: starts draining before the broker stops anything. */
  onShutdownSignal: () => void;
  /** moleculer-web's router (server: false: we own the HTTP server and hand it routed requests). */
  httpHandler(req: IncomingMessage, res: ServerResponse): Promise<void>;
  resolveUser(ctx: Context<unknown, ArenaMeta>, claims: ArenaClaims, mapped: AuthUser): Promise<AuthUser>;
  boundPort(): number;
}
