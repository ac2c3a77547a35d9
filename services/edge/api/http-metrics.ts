/**
 * RED metrics per REST route: requests by method, route template and status
 * code, and their duration. The route label is the alias template
 * (`/api/v1/channels/:id`), a system path, or `unmatched`, so a scanner
 * walking random URLs cannot blow up the series count.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { MetricTypes, type ServiceBroker } from "moleculer";

export const HTTP_REQUESTS_METRIC = "arena.http.requests.total";
export const HTTP_DURATION_METRIC = "arena.http.request.duration.seconds";

const SYSTEM_PATHS = new Set(["/health/live", "/health/ready", "/api/openapi.json"]);
const KNOWN_METHODS = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

export type HttpObserver = (req: IncomingMessage, res: ServerResponse) => void;

function systemPathOf(url: string): string {
  const queryAt = url.indexOf("?");
  const path = queryAt < 0 ? url : url.slice(0, queryAt);
  return SYSTEM_PATHS.has(path) ? path : "unmatched";
}

/** moleculer-web puts the matched alias (with its full path template) on the request. */
function routeTemplate(req: IncomingMessage): string | undefined {
  const fullPath = (req as { $alias?: { fullPath?: unknown } }).$alias?.fullPath;
  return typeof fullPath === "string" ? fullPath : undefined;
}

/** A no-op when the node has metrics off. */
export function httpMetrics(broker: ServiceBroker): HttpObserver {
  if (!broker.isMetricsEnabled()) return () => undefined;
  const { requests, durations } = redMetrics(broker);
  return (req, res) => {
    const started = process.hrtime.bigint();
    // HEAD is rerouted as GET before routing; the label keeps what the client sent.
    const method = KNOWN_METHODS.has(req.method ?? "") ? (req.method as string) : "OTHER";
    // moleculer-web rewrites req.url while routing: keep the one that arrived (split only if it is needed).
    const url = req.url ?? "/";
    res.once("close", () => {
      const route = routeTemplate(req) ?? systemPathOf(url);
      // A client that hangs up before the answer is complete gets nginx's 499 ("client closed request").
      const code = res.writableFinished ? String(res.statusCode) : "499";
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      requests.increment({ method, route, code });
      durations.observe(seconds, { method, route });
    });
  };
}

export const HTTP_FAST_METRIC = "arena.http.fast.total";

/** Counts an answer the gateway gave by itself (fast-path.ts), ended before the handler returned. */
export type FastObserver = (method: "GET" | "HEAD", route: string, code: 200 | 304, startedNs: bigint) => void;

/**
 * The fast path's metrics: the same RED series as a routed request (so dashboards keep adding up),
 * plus a counter of answers that took the fast path. No `close` listener: the answer is already
 * out of the handler's hands. Undefined when the node has metrics off.
 */
export function fastHttpMetrics(broker: ServiceBroker): FastObserver | undefined {
  if (!broker.isMetricsEnabled()) return undefined;
  const { requests, durations } = redMetrics(broker);
  const metrics = broker.metrics;
  if (!metrics.getMetric(HTTP_FAST_METRIC)) {
    metrics.register({
      type: "counter",
      name: HTTP_FAST_METRIC,
      labelNames: ["route", "code"],
      description: "REST requests the gateway answered itself (node status, cached anonymous reads), no action call",
    });
  }
  const fast = metrics.getMetric(HTTP_FAST_METRIC);
  if (!(fast instanceof MetricTypes.Counter)) throw new Error(`${HTTP_FAST_METRIC} must be a counter`);
  return (method, route, code, startedNs) => {
    const seconds = Number(process.hrtime.bigint() - startedNs) / 1e9;
    const status = String(code);
    requests.increment({ method, route, code: status });
    durations.observe(seconds, { method, route });
    fast.increment({ route, code: status });
  };
}

function redMetrics(broker: ServiceBroker): { requests: MetricTypes.Counter; durations: MetricTypes.Histogram } {
  const metrics = broker.metrics;
  if (!metrics.getMetric(HTTP_REQUESTS_METRIC)) {
    metrics.register({
      type: "counter",
      name: HTTP_REQUESTS_METRIC,
      labelNames: ["method", "route", "code"],
      description: "REST requests answered by the gateway, by route template and status code",
    });
    metrics.register({
      type: "histogram",
      name: HTTP_DURATION_METRIC,
      labelNames: ["method", "route"],
      unit: "second",
      description: "REST request duration from first byte in to last byte out",
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    });
  }
  // Looked up once: the registry's increment/observe would find them by name on every request.
  const requests = metrics.getMetric(HTTP_REQUESTS_METRIC);
  const durations = metrics.getMetric(HTTP_DURATION_METRIC);
  if (!(requests instanceof MetricTypes.Counter) || !(durations instanceof MetricTypes.Histogram))
    throw new Error(`${HTTP_REQUESTS_METRIC} and ${HTTP_DURATION_METRIC} must be a counter and a histogram`);
  return { requests, durations };
}
