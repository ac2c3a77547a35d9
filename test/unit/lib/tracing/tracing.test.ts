/**
 * Trace ids as collectors accept them, spans without credentials, and log
 * lines that name the request they belong to.
 */
import { ServiceBroker } from "moleculer";
import { jsonLogFormatter } from "../../../../lib/logging/json-formatter";
import { runWithRequestContext } from "../../../../lib/logging/request-context";
import { spanIdOf, traceIdOf } from "../../../../lib/tracing/trace-ids";
import { ArenaZipkinExporter, spansUrl } from "../../../../lib/tracing/zipkin-exporter";

describe("trace ids", () => {
  it("keeps hex ids, widens 64-bit ones and hashes anything else, always to lowercase hex", () => {
    expect(traceIdOf("3F2504E0-4F89-11D3-9A0C-0305E82C3301")).toBe("3f2504e04f8911d39a0c0305e82c3301");
    expect(traceIdOf("463ac35c9f6413ad")).toBe("0000000000000000463ac35c9f6413ad");
    for (const id of ["req-42", "a.b:c", "ünïcode"]) {
      expect(traceIdOf(id)).toMatch(/^[0-9a-f]{32}$/);
      expect(spanIdOf(id)).toMatch(/^[0-9a-f]{16}$/);
    }
    expect(traceIdOf("req-42")).toBe(traceIdOf("req-42"));
    expect(traceIdOf("req-42")).not.toBe(traceIdOf("req-43"));
    expect(spanIdOf("3f2504e0-4f89-11d3-9a0c-0305e82c3301")).toBe("3f2504e04f8911d3");
  });

  it("posts to the Zipkin v2 spans path whether given a base URL or the full one", () => {
    expect(spansUrl("http://jaeger:9411/")).toBe("http://jaeger:9411/api/v2/spans");
    expect(spansUrl("http://z:9411/api/v2/spans")).toBe("http://z:9411/api/v2/spans");
  });
});

describe("Zipkin payload", () => {
  it("is valid Zipkin v2 with credentials masked in tags and errors", async () => {
    const exporter = new ArenaZipkinExporter({ endpoint: "http://127.0.0.1:1" });
    const broker = new ServiceBroker({ logger: false, nodeID: "n1", tracing: { enabled: true, exporter: [] } });
    exporter.init(broker.tracer);
    const span = broker.tracer.startSpan("action 'identity.login'", {
      traceID: "client-chosen id",
      service: "identity",
      tags: { params: { login: "ann", password: "hunter2" }, auth: "Bearer abc.def" },
    });
    span.setError(new Error("token eyJhbGciOiJFZERTQSJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJlLXZhbHVl rejected"));
    span.finish();
    const payload = exporter.toZipkin(span);
    expect(payload.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(payload.id).toMatch(/^[0-9a-f]{16}$/);
    expect(payload).toMatchObject({ kind: "SERVER", localEndpoint: { serviceName: "identity" } });
    expect(payload.tags["params.login"]).toBe("ann");
    expect(payload.tags["node.id"]).toBe("n1");
    expect(JSON.stringify(payload)).not.toMatch(/hunter2|abc\.def|eyJzdWIi/);
    await exporter.stop();
  });
});

describe("JSON log lines", () => {
  it("carry the request and trace ids of the request being handled, and nothing outside one", () => {
    const inside = runWithRequestContext(
      { requestId: "r-1", traceId: traceIdOf("r-1"), spanId: "00f067aa0ba902b7" },
      () => jsonLogFormatter("info", ["handled"], { nodeID: "n1" }),
    );
    expect(JSON.parse(inside[0]!)).toMatchObject({
      requestId: "r-1",
      traceId: traceIdOf("r-1"),
      spanId: "00f067aa0ba902b7",
      message: "handled",
    });
    expect(JSON.parse(jsonLogFormatter("info", ["idle"], { nodeID: "n1" })[0]!).requestId).toBeUndefined();
  });
});

describe("log lines of odd arguments", () => {
  it("never throw on circular or exotic values, and name class instances instead of dumping them", () => {
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    class Socket {
      parser = { socket: this as unknown };
    }
    const [withSocket] = jsonLogFormatter("debug", ["params:", { stream: new Socket() }], {});
    expect(JSON.parse(withSocket!).message).toBe('params: {"stream":"[Socket]"}');
    const [deep] = jsonLogFormatter("debug", [circular], {});
    expect(JSON.parse(deep!).a).toBe(1);
    const [first] = jsonLogFormatter("debug", [new Socket(), "x"], {});
    expect(JSON.parse(first!).message).toBe('"[Socket]" x');
  });
});
