/**
 * Exports finished spans as Zipkin v2 JSON (POST <endpoint>/api/v2/spans),
 * which Zipkin and Jaeger's collector (its Zipkin port, 9411) both ingest.
 * Written instead of Moleculer's Zipkin exporter, which cuts trace ids to
 * 16 characters without checking they are hex (one client X-Request-Id
 * like "req-42" got the whole batch refused), drops queued spans at
 * shutdown, and queues without bound while the collector is down.
 */
import { TracerExporters, type Span, type Tracer } from "moleculer";
import { redactValue } from "../logging/redact";
import { spanIdOf, traceIdOf } from "./trace-ids";

export interface ZipkinExporterOptions {
  /** Collector base URL (http://jaeger-collector:9411) or the full spans URL. */
  endpoint: string;
  /** Seconds between uploads. */
  intervalS?: number;
  /** Spans kept while the collector is unreachable; older ones are dropped first. */
  maxQueued?: number;
}

export interface ZipkinSpan {
  traceId: string;
  id: string;
  parentId?: string;
  name: string;
  kind: "SERVER";
  timestamp: number;
  duration: number;
  localEndpoint: { serviceName: string };
  tags: Record<string, string>;
}

export function spansUrl(endpoint: string): string {
  const base = endpoint.replace(/\/+$/, "");
  return base.endsWith("/api/v2/spans") ? base : `${base}/api/v2/spans`;
}

export class ArenaZipkinExporter extends TracerExporters.Base {
  private queue: ZipkinSpan[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly url: string;
  private nodeId = "";
  private failing = false;

  constructor(private readonly options: ZipkinExporterOptions) {
    super({});
    this.url = spansUrl(options.endpoint);
  }

  override init(tracer: Tracer): void {
    super.init(tracer);
    this.nodeId = tracer.broker.nodeID;
    this.timer = setInterval(() => void this.flush(), (this.options.intervalS ?? 2) * 1000);
    this.timer.unref();
  }

  override spanFinished(span: Span): void {
    const max = this.options.maxQueued ?? 10000;
    if (this.queue.length >= max) this.queue.splice(0, this.queue.length - max + 1);
    this.queue.push(this.toZipkin(span));
  }

  toZipkin(span: Span): ZipkinSpan {
    const service = span.service as { fullName?: string; name?: string } | undefined;
    const serviceName = service?.fullName ?? service?.name ?? "arena";
    // Tags never carry credentials to the tracing backend, whatever an action chose to tag.
    const tags = this.flattenTags(redactValue(span.tags ?? {}) as Record<string, unknown>, true) as Record<
      string,
      string
    >;
    if (span.error) tags.error = String(redactValue(span.error.message));
    tags["node.id"] = this.nodeId;
    tags["span.type"] = String((span as { type?: string }).type ?? "custom");
    return {
      traceId: traceIdOf(span.traceID),
      id: spanIdOf(span.id),
      ...(span.parentID ? { parentId: spanIdOf(span.parentID) } : {}),
      name: span.name,
      kind: "SERVER",
      timestamp: Math.round((span.startTime ?? Date.now()) * 1000),
      duration: Math.max(1, Math.round((span.duration ?? 0) * 1000)),
      localEndpoint: { serviceName },
      tags,
    };
  }

  async flush(): Promise<void> {
    if (this.queue.length === 0) return;
    const batch = this.queue.splice(0);
    try {
      const res = await fetch(this.url, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(batch),
        signal: AbortSignal.timeout(5000),
      });
      if (!res.ok) throw new Error(`collector answered ${res.status}`);
      if (this.failing) this.logger.info(`Tracing spans are uploaded to ${this.url} again`);
      this.failing = false;
    } catch (err) {
      // One warning per outage, not one per flush.
      if (!this.failing) this.logger.warn(`Tracing spans not uploaded to ${this.url}: ${(err as Error).message}`);
      this.failing = true;
    }
  }

  /** Uploads what is queued before the node goes away. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
