/**
 * The node's /metrics endpoint. Replaces Moleculer's Prometheus reporter,
 * which listens on every interface and publishes the OS user, home
 * directory, addresses, MACs, hostname and command line: this one listens
 * on METRICS_HOST (loopback unless the operator opens it), renders the
 * broker's registry without host details (exposition.ts), and adds the
 * standard Node.js runtime metrics (event loop lag, GC, heap, CPU, handles)
 * from prom-client under the names dashboards already know.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { MetricReporters, type MetricRegistry } from "moleculer";
import { collectDefaultMetrics, Registry } from "prom-client";
import { renderRegistry } from "./exposition";

export interface MetricsEndpointOptions {
  host: string;
  /** 0 picks a free port (tests); read it back with `port`. */
  port: number;
  path?: string;
}

const CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

export class ArenaPrometheusReporter extends MetricReporters.Base {
  private server: Server | undefined;
  private registry: MetricRegistry | undefined;
  private readonly runtime = new Registry();
  private defaults: Record<string, string> = {};
  private listening: Promise<void> | undefined;

  constructor(private readonly endpoint: MetricsEndpointOptions) {
    super({});
  }

  override init(registry: MetricRegistry): void {
    super.init(registry);
    this.registry = registry;
    this.defaults = { namespace: registry.broker.namespace, node_id: registry.broker.nodeID };
    collectDefaultMetrics({ register: this.runtime, labels: this.defaults, eventLoopMonitoringPrecision: 20 });
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    this.listening = new Promise<void>((resolve, reject) => {
      server.once("error", (err) => {
        registry.logger.error(`Metrics endpoint cannot listen on ${this.endpoint.host}:${this.endpoint.port}`, err);
        reject(err);
      });
      server.listen(this.endpoint.port, this.endpoint.host, () => {
        registry.logger.info(`Metrics on http://${this.endpoint.host}:${this.port}${this.path}`);
        resolve();
      });
    });
    // A port already taken must not crash the node with an unhandled rejection; the error is logged above.
    this.listening.catch(() => undefined);
  }

  /** Resolves once the endpoint listens. */
  ready(): Promise<void> {
    return this.listening ?? Promise.resolve();
  }

  get port(): number {
    const address = this.server?.address() as AddressInfo | null | undefined;
    return address?.port ?? 0;
  }

  private get path(): string {
    return this.endpoint.path ?? "/metrics";
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0];
    if (path !== this.path || (req.method !== "GET" && req.method !== "HEAD") || !this.registry) {
      res.writeHead(404).end();
      return;
    }
    try {
      const body = renderRegistry(this.registry, this.defaults) + (await this.runtime.metrics());
      res.writeHead(200, { "Content-Type": CONTENT_TYPE, "Cache-Control": "no-store" }).end(body);
    } catch (err) {
      this.registry.logger.warn("Metrics rendering failed", err);
      res.writeHead(500).end();
    }
  }

  stop(): Promise<void> {
    this.runtime.clear();
    const server = this.server;
    if (!server?.listening) return Promise.resolve();
    return new Promise((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
