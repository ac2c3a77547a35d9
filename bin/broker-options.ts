import {
  Cachers,
  type BrokerOptions,
  type Errors,
  type MetricsReporterOptions,
  type TracerExporterOptions,
} from "moleculer";
import { hostname } from "node:os";
import type { ArenaConfig } from "../lib/config";
import { jsonLogFormatter, textLogFormatter } from "../lib/logging/json-formatter";
import { ArenaPrometheusReporter } from "../lib/metrics/prometheus-reporter";
import { safeSpanTags } from "../lib/tracing/span-tags";
import { ArenaZipkinExporter } from "../lib/tracing/zipkin-exporter";
import { dlqReplCommand } from "../mixins/durable-events/dead-letters/commands";
import { platformMiddlewares } from "./platform-middlewares";
import { GuardedValidator } from "../lib/broker/validator";
import { isDependencyUnavailable } from "../lib/errors";
import { BoundedRedisCacher } from "../lib/broker/redis-cacher";
import { validateBeforeCache } from "../lib/broker/validate-before-cache";
import { ArenaNatsTransporter } from "../lib/broker/nats-transporter";
import { isRetryableFailure } from "../lib/broker/failover-guard";
import { searchReplCommand } from "../services/content/search/repl-command";
import { actionCacheKey } from "../lib/cache";

/** Seconds between heartbeats, and without one before a node is dropped (e2e bounds derive from them). */
export const HEARTBEAT_INTERVAL_S = 2;
export const HEARTBEAT_TIMEOUT_S = 6;
/** How long a stopping node waits for its in-flight calls (context tracking) before it closes anyway. */
export const SHUTDOWN_TIMEOUT_MS = 10000;

/**
 * Errors counting against a circuit: the callee's fault, not the caller's. A
 * callee whose database is down answers fast 503s on its own and must be
 * called again the moment the database is back, so those do not count.
 */
function isServerSideFailure(err: Errors.MoleculerError | Error): boolean {
  if (isDependencyUnavailable(err)) return false;
  const code = (err as Errors.MoleculerError).code;
  return typeof code !== "number" || code >= 500;
}

function transporterOptions(config: ArenaConfig): BrokerOptions["transporter"] {
  if (!config.transporter) return undefined;
  if (config.transporter.startsWith("nats://")) {
    // Reconnects forever (a NATS restart must not take a node out for good), notices a
    // dead peer or a lost NATS connection at once (see lib/broker/nats-transporter.ts).
    return new ArenaNatsTransporter({ url: config.transporter, reconnectTimeWait: 500 });
  }
  return config.transporter;
}

/**
 * Memory in one process, Redis when set; either validates a call's params before looking it up (see that file)
 * and keys entries so that no param text makes two requests one entry (lib/cache/cache-key.ts).
 */
function cacherOptions(config: ArenaConfig): BrokerOptions["cacher"] {
  if (!config.redisUrl)
    return validateBeforeCache(new Cachers.Memory({ ttl: 30, clone: true, keygen: actionCacheKey }));
  return validateBeforeCache(
    new BoundedRedisCacher({
      url: config.redisUrl,
      prefix: `${config.namespace}-cache`,
      ttl: 30,
      commandTimeoutMs: config.redisCommandTimeoutMs,
      keygen: actionCacheKey,
    }),
  );
}

function tracingOptions(config: ArenaConfig): BrokerOptions["tracing"] {
  const { exporter, endpoint } = config.tracing;
  if (exporter === "none") return { enabled: false };
  const tags = { action: safeSpanTags, event: safeSpanTags };
  if (exporter === "console") return { enabled: true, exporter: { type: "Console" }, tags };
  // Jaeger's collector accepts Zipkin v2 spans (its port 9411), so one exporter serves both
  // without pulling in the deprecated jaeger-client.
  const zipkin = new ArenaZipkinExporter({ endpoint: endpoint ?? "http://127.0.0.1:9411" });
  // Typed as options objects only, but Moleculer takes an exporter instance as well (Exporters.resolve).
  return { enabled: true, exporter: [zipkin as unknown as TracerExporterOptions], tags };
}

function metricsOptions(config: ArenaConfig): BrokerOptions["metrics"] {
  if (config.metricsPort <= 0) return { enabled: false };
  const reporter = new ArenaPrometheusReporter({ host: config.metricsHost, port: config.metricsPort });
  return {
    enabled: true,
    // Moleculer's os.* and process.* gauges describe the host (user, home, MACs, argv); runtime metrics come from the reporter.
    collectProcessMetrics: false,
    // Typed as options objects only, but Moleculer takes a reporter instance as well (Reporters.resolve).
    reporter: [reporter as unknown as MetricsReporterOptions],
  };
}

/** The one place broker behaviour is decided; moleculer.config.ts and tests both use it. */
export function buildBrokerOptions(config: ArenaConfig): BrokerOptions {
  return {
    namespace: config.namespace,
    nodeID: config.nodeId ?? `${hostname()}-${process.pid}`,
    transporter: transporterOptions(config),
    cacher: cacherOptions(config),
    serializer: "JSON",
    logger: {
      type: "Console",
      options: {
        level: config.log.level,
        colors: config.log.format === "text",
        formatter: config.log.format === "json" ? jsonLogFormatter : textLogFormatter,
      },
    },
    requestTimeout: config.requestTimeoutMs,
    // Heartbeats short enough that a killed node leaves the registry within seconds.
    heartbeatInterval: HEARTBEAT_INTERVAL_S,
    heartbeatTimeout: HEARTBEAT_TIMEOUT_S,
    retryPolicy: {
      enabled: true,
      retries: 2,
      delay: 100,
      maxDelay: 1000,
      factor: 2,
      // Timeouts are never retried: the handler given up on may still run (lib/broker/failover-guard.ts).
      check: isRetryableFailure,
    },
    circuitBreaker: {
      enabled: true,
      threshold: 0.5,
      minRequestCount: 10,
      windowTime: 30,
      halfOpenTime: 5000,
      check: isServerSideFailure,
    },
    // Moleculer's bulkhead leaks a slot on a synchronous throw; SafeBulkheadMiddleware (platformMiddlewares) replaces it.
    bulkhead: { enabled: false },
    tracking: { enabled: true, shutdownTimeout: SHUTDOWN_TIMEOUT_MS },
    registry: { strategy: "RoundRobin", preferLocal: true },
    validator: new GuardedValidator(),
    metrics: metricsOptions(config),
    tracing: tracingOptions(config),
    middlewares: platformMiddlewares(config),
    // `dlq list|inspect|replay|drop` and `search reindex` in the REPL (npm run repl, or a node started with --repl).
    replCommands: [dlqReplCommand(), searchReplCommand()],
  };
}
