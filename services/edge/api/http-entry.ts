/**
 * Every HTTP request enters here: request id, client address (through
 * trusted proxies only), security headers, then the system routes (health,
 * OpenAPI), the web client, and finally moleculer-web's routing. Failures
 * anywhere end in the one error body (error-body.ts).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { clientIp } from "../../../lib/http/client-ip";
import { runWithLazyRequestContext } from "../../../lib/logging/request-context";
import { traceIdOf } from "../../../lib/tracing/trace-ids";
import type { ApiThis, ArenaRequest } from "./api.context";
import { routeRequest } from "./direct-route";
import { toErrorResponse } from "./error-body";
import { readinessChecks } from "./health";
import { requestIdFrom, writeSecurityHeaders } from "./http-preamble";
import { enforceLimits } from "./limits";
import { serveMediaDirect } from "./media-direct";
import { buildOpenApi } from "./openapi";
import { serveWebFront } from "./web-front";
import { isWebSessionRequest } from "./web-session";

export function handleHttp(svc: ApiThis, incoming: IncomingMessage, res: ServerResponse): void {
  // Node status and cached anonymous reads: answered here, whole, without routing (fast-path.ts).
  if (svc.fastPath.serve(incoming, res)) return;
  const req = incoming as ArenaRequest;
  svc.drain.track(req, res);
  svc.observeHttp(req, res);
  const requestId = requestIdFrom(req.headers["x-request-id"]);
  // moleculer-web reads these for ctx.requestID; make sure it sees the sanitized id only.
  req.headers["x-request-id"] = requestId;
  delete req.headers["x-correlation-id"];
  const peer = req.socket.remoteAddress;
  const viaProxy = svc.proxies.isTrusted(peer ?? "");
  const https =
    (req.socket as { encrypted?: boolean }).encrypted === true ||
    (viaProxy && req.headers["x-forwarded-proto"] === "https");
  req.$arena = { requestId, clientIp: clientIp(peer, req.headers["x-forwarded-for"], svc.proxies), https };
  res.setHeader("X-Request-Id", requestId);
  writeSecurityHeaders(res, https);
  // Every log line of this request, on this node and the ones it calls, names it (ELK).
  const clientIpOfRequest = req.$arena.clientIp;
  runWithLazyRequestContext(
    () => ({ requestId, traceId: traceIdOf(requestId), clientIp: clientIpOfRequest }),
    () => dispatch(svc, req, res),
  );
}

/**
 * System routes, then signed media, then the web front, then the route tables. A plain API path
 * (`/api/…`, neither the OpenAPI document nor the web session) is none of the first three (their
 * own checks refuse it), so it goes straight to routing without their awaits on every request.
 */
function dispatch(svc: ApiThis, req: ArenaRequest, res: ServerResponse): void {
  const url = req.url ?? "/";
  if (url.startsWith("/api/") && !SYSTEM_PATHS.has(pathOf(url)) && !isWebSessionRequest(req)) {
    route(svc, req, res).catch((err: unknown) => renderError(svc, req, res, err));
    return;
  }
  serveSystem(svc, req, res)
    .then(async (served) => {
      if (served || (await serveMediaDirect(svc, req, res)) || (await serveWebFront(svc, req, res))) return undefined;
      return route(svc, req, res);
    })
    .catch((err: unknown) => renderError(svc, req, res, err));
}

function route(svc: ApiThis, req: ArenaRequest, res: ServerResponse): Promise<void> {
  // HEAD is GET without a body (RFC 9110 §9.3.2): route it to the GET alias. Node
  // already decided at request time that this response has no body, so
  // whatever the action returns is measured but never written.
  if (req.method === "HEAD") req.method = "GET";
  return routeRequest(svc, req, res);
}

const SYSTEM_PATHS = new Set(["/health/live", "/health/ready", "/api/openapi.json"]);

function pathOf(url: string): string {
  const queryAt = url.indexOf("?");
  return queryAt < 0 ? url : url.slice(0, queryAt);
}

/** Health and OpenAPI: answered before routing so they never depend on auth, limits or route tables. */
export async function serveSystem(svc: ApiThis, req: ArenaRequest, res: ServerResponse): Promise<boolean> {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  const path = pathOf(req.url ?? "/");
  if (path === "/health/live") {
    sendJson(res, 200, { status: "ok" });
    return true;
  }
  if (path === "/health/ready") {
    // Health routes are never rate limited (an orchestrator's probe must not get a 429), so a
    // flood of /health/ready must not become a flood of database pings: requests arriving
    // while a check runs share its result.
    svc.readiness ??= readinessChecks(svc.broker).finally(() => {
      svc.readiness = undefined;
    });
    const checks = await svc.readiness;
    // Draining (SIGTERM): a load balancer still probing must stop sending new requests here.
    if (svc.drain.isDraining) checks.push({ name: "gateway", ok: false, error: "shutting down" });
    const ok = checks.every((c) => c.ok);
    sendJson(res, ok ? 200 : 503, { status: ok ? "ok" : "unavailable", checks });
    return true;
  }
  if (path === "/api/openapi.json") {
    // Built from the live registry on every call: it draws on the caller's per-IP API budget.
    await enforceLimits(svc.limitStore, svc.limitPolicy, res, { ip: req.$arena.clientIp, bucket: "api" });
    const actions = new Map(
      svc.broker.registry
        .getActionList({ onlyAvailable: false, skipInternal: true, withEndpoints: false })
        .map((a: { name: string; action?: { params?: Record<string, unknown>; cache?: unknown } }) => [
          a.name,
          a.action,
        ]),
    );
    const doc = buildOpenApi(
      svc.tables,
      (name) => actions.get(name)?.params,
      { title: "Arena API", version: "1", serverUrl: svc.config.publicUrl },
      // The fast path keeps answers only while a cacher exists and the read cache is on (fast-path.ts).
      (name) => (svc.broker.cacher && svc.config.readCacheTtlS > 0 ? actions.get(name)?.cache : undefined),
    );
    sendJson(res, 200, doc);
    return true;
  }
  return false;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.setHeader("Cache-Control", "no-store");
  res.end(JSON.stringify(body));
}

/** The one error body; unexpected failures are logged with the request, 503s briefly. */
export function renderError(svc: ApiThis, req: IncomingMessage, res: ServerResponse, err: unknown): void {
  const requestId = (req as Partial<ArenaRequest>).$arena?.requestId ?? requestIdFrom(undefined);
  const rendered = toErrorResponse(err, requestId, undefined, pathParamsOf(req as Partial<ArenaRequest>));
  if (rendered.unexpected) svc.logger.error("Request failed", { requestId, method: req.method, url: req.url, err });
  else if (rendered.status === 503)
    svc.logger.warn("Service unavailable", {
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
  sendJson(res, rendered.status, rendered.body);
}

/** The routed request's path parameters (none before routing): error details name them. */
function pathParamsOf(req: Partial<ArenaRequest>): Record<string, string> {
  const matched = req.parsedUrl !== undefined ? req.$alias?.match?.(req.parsedUrl) : undefined;
  if (!matched) return {};
  return Object.fromEntries(Object.entries(matched).filter((e): e is [string, string] => typeof e[1] === "string"));
}
