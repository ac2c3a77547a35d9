/**
 * The HTTP upgrade step: everything about a connection is decided here,
 * before a WebSocket exists. Request data is copied out of HttpRequest at
 * once (it is stack-allocated), the token is verified asynchronously with
 * onAborted set, and the upgrade itself is corked.
 */
import { randomUUID } from "node:crypto";
import type { AuthUser } from "../../../lib/auth/auth-user";
import type { TokenVerifier } from "../../../lib/auth/token-verifier";
import { clientIp, type TrustedProxies } from "../../../lib/http/client-ip";
import { PROTOCOL_NAME } from "./protocol";
import { verifySocketToken } from "./token-auth";
import type { CountLimiter } from "./rate-limit";
import type { SocketData } from "./socket-data";
import type { HttpRequest, HttpResponse, us_socket_context_t } from "./uws";

export interface UpgradeContext {
  verifier: TokenVerifier;
  allowedOrigins: string[];
  proxies: TrustedProxies;
  perIp: CountLimiter;
  perUser: CountLimiter;
  maxPerIp: number;
  maxPerUser: number;
  frameBurst: number;
  isStopping(): boolean;
  onRejected(reason: string): void;
}

export interface UpgradeRequest {
  origin: string;
  key: string;
  protocols: string[];
  extensions: string;
  token: string | null;
  ip: string;
}

const BEARER_PREFIX = "bearer.";

/** Copies what the upgrade needs out of the request; must run synchronously in the handler. */
export function readUpgradeRequest(res: HttpResponse, req: HttpRequest, proxies: TrustedProxies): UpgradeRequest {
  const protocols = req
    .getHeader("sec-websocket-protocol")
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean);
  const fromProtocol = protocols.find((p) => p.startsWith(BEARER_PREFIX))?.slice(BEARER_PREFIX.length);
  const fromQuery = req.getQuery("access_token");
  const peer = Buffer.from(res.getRemoteAddressAsText()).toString();
  return {
    origin: req.getHeader("origin"),
    key: req.getHeader("sec-websocket-key"),
    protocols,
    extensions: req.getHeader("sec-websocket-extensions"),
    token: fromProtocol || fromQuery || null,
    ip: clientIp(peer, req.getHeader("x-forwarded-for") || undefined, proxies),
  };
}

export function originAllowed(origin: string, allowed: readonly string[]): boolean {
  if (!origin) return true;
  return allowed.includes("*") || allowed.some((a) => a.replace(/\/+$/, "") === origin);
}

function reject(res: HttpResponse, status: string, body: string): void {
  res.cork(() => {
    res
      .writeStatus(status)
      .writeHeader("content-type", "application/json")
      .end(JSON.stringify({ error: body }));
  });
}

export async function handleUpgrade(
  res: HttpResponse,
  req: HttpRequest,
  context: us_socket_context_t,
  ctx: UpgradeContext,
): Promise<void> {
  const request = readUpgradeRequest(res, req, ctx.proxies);
  let aborted = false;
  res.onAborted(() => {
    aborted = true;
  });
  const refuse = (status: string, code: string): void => {
    ctx.onRejected(code);
    if (!aborted) reject(res, status, code);
  };
  if (ctx.isStopping()) return refuse("503 Service Unavailable", "SHUTTING_DOWN");
  if (!originAllowed(request.origin, ctx.allowedOrigins)) return refuse("403 Forbidden", "ORIGIN_NOT_ALLOWED");
  if (ctx.perIp.count(request.ip) >= ctx.maxPerIp) return refuse("429 Too Many Requests", "TOO_MANY_CONNECTIONS");
  let user: AuthUser | null = null;
  let tokenExpiresAt: number | null = null;
  if (request.token) {
    try {
      ({ user, expiresAt: tokenExpiresAt } = await verifySocketToken(ctx.verifier, request.token));
    } catch {
      // A bad token is refused rather than downgraded to anonymous, so clients notice.
      return refuse("401 Unauthorized", "INVALID_TOKEN");
    }
  }
  if (aborted) return;
  // Checked again after the await: other upgrades from this IP may have opened meanwhile. From here
  // to the open handler (which takes the slots) nothing yields, so the limits cannot be overrun.
  if (ctx.perIp.count(request.ip) >= ctx.maxPerIp) return refuse("429 Too Many Requests", "TOO_MANY_CONNECTIONS");
  if (user && ctx.perUser.count(user.id) >= ctx.maxPerUser)
    return refuse("429 Too Many Requests", "TOO_MANY_CONNECTIONS");
  const data: SocketData = {
    connectionId: randomUUID(),
    user,
    ip: request.ip,
    connectedAt: Date.now(),
    tokenExpiresAt,
    rooms: new Map(),
    closed: false,
    badFrames: 0,
    frameBudget: ctx.frameBurst,
    frameBudgetAt: Date.now(),
    inFlight: null,
  };
  // Echo our protocol only when offered: the bearer entry must never be echoed back.
  const protocol = request.protocols.includes(PROTOCOL_NAME) ? PROTOCOL_NAME : "";
  res.cork(() => res.upgrade(data, request.key, protocol, request.extensions, context));
}
