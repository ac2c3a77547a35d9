/**
 * A local collector endpoint speaking the Zipkin v2 JSON protocol (POST
 * /api/v2/spans, as Zipkin and Jaeger's Zipkin port accept it): keeps every
 * span it receives so a test can assemble traces.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedSpan {
  traceId: string;
  id: string;
  parentId?: string;
  name: string;
  kind?: string;
  timestamp: number;
  duration: number;
  localEndpoint?: { serviceName?: string };
  tags?: Record<string, string>;
}

export interface ZipkinCollector {
  url: string;
  spans: ReceivedSpan[];
  /** Raw request bodies, to check nothing secret was sent. */
  bodies: string[];
  trace(traceId: string): ReceivedSpan[];
  close(): Promise<void>;
}

const HEX = { trace: /^[0-9a-f]{32}$|^[0-9a-f]{16}$/, span: /^[0-9a-f]{16}$/ };

export async function startZipkinCollector(): Promise<ZipkinCollector> {
  const spans: ReceivedSpan[] = [];
  const bodies: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      if (req.method !== "POST" || req.url !== "/api/v2/spans") return void res.writeHead(404).end();
      try {
        const batch = JSON.parse(body) as ReceivedSpan[];
        // What Zipkin itself refuses with a 400: ids that are not lowercase hex of the right length.
        const bad = batch.find((s) => !HEX.trace.test(s.traceId) || !HEX.span.test(s.id));
        if (!Array.isArray(batch) || bad) return void res.writeHead(400).end("bad span ids");
        bodies.push(body);
        spans.push(...batch);
        res.writeHead(202).end();
      } catch {
        res.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    bodies,
    trace: (traceId) => spans.filter((s) => s.traceId === traceId),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
