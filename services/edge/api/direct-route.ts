/**
 * moleculer-web's request handling without its `api.rest` action call.
 * Stock moleculer-web enters every request through `this.actions.rest`, a
 * full action call (context, the whole middleware chain: request context,
 * bulkhead, failover guard, circuit breaker, timeout, metrics) before the
 * routed action's own call runs the same chain again. Here the request gets a
 * root context of its own and moleculer-web's `rest` handler (routing, body
 * parsing, the auth hooks, `callAction`, `sendResponse`) runs on it directly:
 * one action call per request. The gateway's request span keeps its name
 * ("GET /api/v1/…") and its place as the parent of the routed call's span.
 */
import type { ServerResponse } from "node:http";
import { Errors, type Context, type Span } from "moleculer";
import ApiGateway from "moleculer-web";
import { restSpanName, restSpanTags } from "../../../lib/tracing/span-tags";
import type { ApiThis, ArenaRequest } from "./api.context";

type RestHandler = (this: ApiThis, ctx: Context) => Promise<unknown>;

interface GatewayRoute {
  path: string;
  opts: { bodyParsers?: unknown; mergeParams?: boolean };
  middlewares: unknown[];
}

interface GatewayAlias {
  route: GatewayRoute;
  action?: string;
  handler?: unknown;
  type?: string;
}

interface GatewayInternals {
  /** moleculer-web's compiled aliases, every route table's routes. */
  aliases: Array<{ method: string; match(url: string): object | false }>;
  corsHandler(settings: unknown, req: ArenaRequest, res: ServerResponse): boolean;
  send404(req: ArenaRequest, res: ServerResponse): void;
  errorHandler(req: ArenaRequest, res: ServerResponse, err: unknown): void;
  parseQueryString(req: ArenaRequest): { url: string; query: Record<string, unknown> };
  resolveAlias(url: string, method: string): { alias: GatewayAlias; params: Record<string, unknown> } | false;
  logRequest(req: ArenaRequest): void;
  aliasHandler(req: ArenaRequest, res: ServerResponse, alias: GatewayAlias): Promise<unknown>;
}

/** What moleculer-web hangs on a request while routing it. */
type RoutingRequest = ArenaRequest & {
  $ctx?: Context;
  $route?: GatewayRoute;
  $params?: Record<string, unknown>;
  originalUrl?: string;
  baseUrl?: string;
  query?: Record<string, unknown>;
  body?: unknown;
};

const restHandler = (ApiGateway as unknown as { actions: { rest: { handler: RestHandler } } }).actions.rest.handler;

type RootCallOptions = (this: ApiThis, options: { requestID?: string; meta?: object }, req: ArenaRequest) => void;

/** What moleculer-web's httpHandler does, minus the `api.rest` action call around it. */
export async function routeRequest(svc: ApiThis, req: ArenaRequest, res: ServerResponse): Promise<void> {
  const internals = svc as unknown as GatewayInternals;
  const r = req as ArenaRequest & Record<string, unknown>;
  r.$startTime = process.hrtime();
  r.$service = svc;
  const w = res as ServerResponse & Record<string, unknown>;
  w.$service = svc;
  w.locals ??= {};

  const options: { requestID?: string; meta?: object } = { requestID: req.$arena.requestId };
  (svc.settings.rootCallOptions as RootCallOptions | undefined)?.call(svc, options, req);
  const ctx = svc.broker.ContextFactory.create(svc.broker, undefined as never, { req, res }, options);
  ctx.service = svc;
  let span: Span | undefined;
  if (svc.broker.isTracingEnabled()) {
    span = ctx.startSpan(restSpanName(ctx), {
      id: ctx.id,
      type: "action",
      traceID: ctx.requestID,
      parentID: ctx.parentID,
      service: svc,
      sampled: ctx.tracing,
      tags: restSpanTags(ctx),
    });
    ctx.tracing = span.sampled;
  }
  try {
    const routed = (await routeBodiless(internals, ctx, req, res)) ?? (await restHandler.call(svc, ctx));
    if (routed == null) {
      // Not routed: CORS preflight of an unknown path, or 404.
      if (internals.corsHandler(svc.settings, req, res)) return;
      const allowed = allowedMethods(internals.aliases, req.parsedUrl);
      if (allowed.length > 0) {
        // The path exists, the method does not (RFC 9110 §15.5.6): say which ones do.
        res.setHeader("Allow", allowed.join(", "));
        internals.errorHandler(
          req,
          res,
          new Errors.MoleculerClientError(`Use ${allowed.join(", ")}`, 405, "METHOD_NOT_ALLOWED"),
        );
        return;
      }
      internals.send404(req, res);
    }
  } catch (err) {
    span?.setError(err as Error);
    internals.errorHandler(req, res, err);
  } finally {
    if (span) ctx.finishSpan(span);
  }
}

const METHOD_ORDER = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"];

/** The methods some route serves on this path (HEAD wherever GET is); empty when no route has the path. */
export function allowedMethods(
  aliases: ReadonlyArray<{ method: string; match(url: string): object | false }>,
  url: string | undefined,
): string[] {
  if (url === undefined) return [];
  const methods = new Set<string>();
  for (const alias of aliases) if (alias.match(url)) methods.add(alias.method);
  if (methods.has("GET")) methods.add("HEAD");
  return METHOD_ORDER.filter((m) => methods.has(m));
}

/**
 * moleculer-web's `rest` handler and `routeHandler` for a GET without a body to an action alias,
 * minus what such a request cannot use: the promise `routeHandler` builds around the route (and its
 * three response listeners), and the route's middlewares (jsonOnly and the JSON body parser pass a
 * request without a body straight through; the parser leaves `req.body` as `{}`, set here too).
 * The alias itself (endpoint, auth hooks, the action call, the response) goes through moleculer-web's
 * `aliasHandler` as before. Anything else (a body, another method, no alias, a custom or stream
 * alias) answers undefined before touching the request, and takes moleculer-web's full path.
 */
async function routeBodiless(
  internals: GatewayInternals,
  ctx: Context,
  incoming: ArenaRequest,
  res: ServerResponse,
): Promise<true | undefined> {
  const req = incoming as RoutingRequest;
  if (req.method !== "GET" || req.headers["content-length"] !== undefined) return undefined;
  if (req.headers["transfer-encoding"] !== undefined) return undefined;
  const parsed = internals.parseQueryString(req);
  let url = parsed.url;
  if (url.length > 1 && url.endsWith("/")) url = url.slice(0, -1);
  const found = internals.resolveAlias(url, "GET");
  if (!found || !found.alias.action || typeof found.alias.handler === "function" || found.alias.type === "stream")
    return undefined;
  const { alias, params: pathParams } = found;
  const route = alias.route;
  // The middlewares skipped below are jsonOnly and the JSON body parser (none on a stream route): a
  // route given any other would take the full path.
  if (route.opts.mergeParams === false || route.middlewares.length > (route.opts.bodyParsers === false ? 0 : 2))
    return undefined;
  if (ctx.requestID) res.setHeader("X-Request-ID", ctx.requestID);
  req.$ctx = ctx;
  (res as ServerResponse & { $ctx?: Context; $route?: GatewayRoute }).$ctx = ctx;
  req.originalUrl ??= req.url;
  req.parsedUrl = url;
  req.query ??= parsed.query;
  req.baseUrl = route.path;
  req.url = (req.originalUrl ?? "").substring(route.path.length);
  if (req.url.length === 0 || req.url[0] !== "/") req.url = `/${req.url}`;
  req.$route = route;
  (res as ServerResponse & { $route?: GatewayRoute }).$route = route;
  internals.logRequest(req);
  // routeHandler listens for response errors (a write racing the client's disconnect): unheard, one would throw.
  res.once("error", ignoreResponseError);
  if (route.opts.bodyParsers !== false) req.body ??= {};
  if (internals.corsHandler(route, req, res)) return true;
  const body = req.body !== null && typeof req.body === "object" ? req.body : {};
  req.$params = Object.assign({}, body, req.query, pathParams);
  req.$alias = alias as unknown as ArenaRequest["$alias"];
  await internals.aliasHandler(req, res, alias);
  return true;
}

function ignoreResponseError(): void {
  // The client is gone; there is no one left to answer.
}
