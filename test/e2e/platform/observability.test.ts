/**
 * The operator's view of a running cluster, with one cluster for all of it:
 * four node processes over NATS (api, core, realtime, media) export spans to
 * a local Zipkin v2 collector and expose /metrics on loopback, which the real
 * `prometheus` binary scrapes with the repo's config and rules.
 *
 * - a REST call (api node → identity on the core node) is one trace with
 *   spans from both nodes; every JSON log line of it, on both nodes, names
 *   its request id and trace id; no password or token reaches logs or spans;
 * - a chat message (realtime node → chat store on the media node) is one trace;
 * - Prometheus sees every node up, the key series, healthy rules, and every
 *   dashboard expression runs and reads only metrics it scraped.
 */
import { randomUUID } from "node:crypto";
import { ok } from "../../helpers/api-client";
import { freePort } from "../../helpers/cluster";
import { dashboardExprs, metricNames } from "../../helpers/dashboards";
import { E2E_PASSWORD, startE2eCluster, type E2eCluster, type E2eUser } from "../../helpers/e2e-cluster";
import { waitFor } from "../../helpers/infra";
import { startPrometheus, type PrometheusServer } from "../../helpers/prometheus";
import { startZipkinCollector, type ReceivedSpan, type ZipkinCollector } from "../../helpers/zipkin-collector";
import { RealtimeClient } from "../../integration/edge/realtime/realtime-client";
import { traceIdOf } from "../../../lib/tracing/trace-ids";

const ROLES = ["api", "core", "realtime", "media"] as const;
type Role = (typeof ROLES)[number];
const SERVICES: Record<Role, string> = {
  api: "api,status",
  core: "identity,users,channels",
  realtime: "realtime",
  media: "streams,chat,delivery",
};

interface LogLine {
  time: string;
  level: string;
  message?: string;
  requestId?: string;
  traceId?: string;
  [key: string]: unknown;
}

function jsonLines(output: string): LogLine[] {
  return output
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as LogLine];
      } catch {
        return [];
      }
    });
}

describe("observability of a running cluster", () => {
  let cluster: E2eCluster;
  let collector: ZipkinCollector;
  let prometheus: PrometheusServer;
  const metricsPorts = {} as Record<Role, number>;
  let creator: E2eUser;
  const nodeOf = (role: Role) => cluster.nodes.find((n) => n.name.endsWith(`-${role}`))!;

  beforeAll(async () => {
    collector = await startZipkinCollector();
    for (const role of ROLES) metricsPorts[role] = await freePort();
    cluster = await startE2eCluster({
      prefix: "obs",
      nodes: SERVICES,
      ports: ["REALTIME_PORT", "RTMP_PORT"],
      env: {
        LOG_FORMAT: "json",
        TRACING_EXPORTER: "zipkin",
        TRACING_ENDPOINT: collector.url,
        REALTIME_HOST: "127.0.0.1",
      },
      nodeEnv: Object.fromEntries(
        ROLES.map((role) => [
          role,
          // Debug on the two nodes of the REST trace: their per-request lines are what the log check reads.
          {
            METRICS_PORT: String(metricsPorts[role]),
            ...(role === "api" || role === "core" ? { LOG_LEVEL: "debug" } : {}),
          },
        ]),
      ),
      readyWhen: { channels: "/channels", streams: "/streams/live" },
    });
    prometheus = await startPrometheus(
      ROLES.map((role) => ({ address: `127.0.0.1:${metricsPorts[role]}`, labels: { role } })),
    );
    creator = await cluster.register("obs");
  });

  afterAll(async () => {
    await prometheus?.stop();
    await cluster?.stop();
    await collector?.close();
  });

  it("traces a REST call across the api and core nodes, with its ids on every log line and no secret anywhere", async () => {
    const username = `trace_${cluster.namespace}`.slice(0, 24);
    ok(await cluster.api.auth.register({ email: `${username}@example.test`, username, password: E2E_PASSWORD }), 201);
    const requestId = randomUUID();
    const traceId = traceIdOf(requestId);
    const started = new Date().toISOString();
    const res = await fetch(`${cluster.base}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-request-id": requestId },
      body: JSON.stringify({ login: username, password: E2E_PASSWORD }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-request-id")).toBe(requestId);
    const tokens = (await res.json()) as { accessToken: string; refreshToken: string };

    const spans = await waitFor(
      () => {
        const trace = collector.trace(traceId);
        const nodes = new Set(trace.map((s) => s.tags?.["node.id"]));
        return nodes.has(nodeOf("api").name) && nodes.has(nodeOf("core").name) ? trace : undefined;
      },
      { timeoutMs: 20000, intervalMs: 250, what: "spans of the login from the api and core nodes" },
    );
    const login = spans.find((s) => s.name === "action 'identity.login'") as ReceivedSpan;
    expect(login.tags?.["node.id"]).toBe(nodeOf("core").name);
    // The identity span hangs under a span of the api node: one tree, not two traces.
    const apiSpanIds = spans.filter((s) => s.tags?.["node.id"] === nodeOf("api").name).map((s) => s.id);
    expect(apiSpanIds).toContain(login.parentId);
    expect(spans.find((s) => s.name === "POST /api/v1/auth/login")).toBeDefined();

    // Every JSON line either node wrote about this request carries both ids.
    const mentions = (line: LogLine): boolean =>
      line.requestId === requestId || /identity\.login|\/auth\/login/.test(JSON.stringify(line));
    for (const role of ["api", "core"] as const) {
      const lines = jsonLines(nodeOf(role).output()).filter((l) => l.time >= started && mentions(l));
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.filter((l) => l.requestId !== requestId || l.traceId !== traceId)).toEqual([]);
    }
    const everything = cluster.nodes.map((n) => n.output()).join("\n") + collector.bodies.join("\n");
    for (const secret of [E2E_PASSWORD, tokens.accessToken, tokens.refreshToken])
      expect(everything).not.toContain(secret);
  });

  it("traces a chat message from the realtime node to the chat store on the media node", async () => {
    const channel = ok(
      await creator.api.channels.create({ slug: `obs-${Date.now().toString(36)}`, title: "Observability" }),
      201,
    ).channel;
    const ws = await RealtimeClient.connect(`ws://127.0.0.1:${cluster.ports.REALTIME_PORT}/`, {
      token: creator.api.token,
    });
    try {
      ws.send({ type: "join", room: channel.id, cid: "j1" });
      await ws.waitFor((f) => f.type === "joined");
      ws.send({ type: "send", room: channel.id, text: "traced hello", cid: "m1" });
      const ack = await ws.waitFor((f) => f.type === "ack" && f.cid === "m1");
      const messageSpan = await waitFor(
        () => collector.spans.find((s) => s.name === "chat message" && s.tags?.messageId === ack.messageId),
        { timeoutMs: 20000, intervalMs: 250, what: "the chat message span" },
      );
      expect(messageSpan.tags?.["node.id"]).toBe(nodeOf("realtime").name);
      const stored = await waitFor(
        () => collector.trace(messageSpan.traceId).find((s) => s.name === "action 'chat.appendMessages'"),
        { timeoutMs: 20000, intervalMs: 250, what: "the chat store span in the message's trace" },
      );
      expect(stored.tags?.["node.id"]).toBe(nodeOf("media").name);
      expect(stored.parentId).toBe(messageSpan.id);
      expect(collector.bodies.join("\n")).not.toContain("traced hello");
    } finally {
      ws.close();
    }
  });

  describe("Prometheus with the repo's config", () => {
    let seen: Set<string>;

    beforeAll(async () => {
      // Traffic for the route and error series: a media URL without a grant, an unknown route, a bad login.
      await fetch(`${cluster.base}/media/live/nope/master.m3u8`);
      await fetch(`${cluster.base}/api/v1/no-such-route`);
      await cluster.api.auth.login({ login: "nobody_here", password: "wrong-password-123" });
      await waitFor(
        async () => {
          const targets = await prometheus.get<{ activeTargets: Array<{ health: string }> }>("/api/v1/targets");
          const active = targets.data.activeTargets;
          return active.length === ROLES.length && active.every((t) => t.health === "up");
        },
        { timeoutMs: 30000, intervalMs: 250, what: `every node scraped\n${prometheus.output()}` },
      );
      // Two scrapes after the traffic, so rates and recording rules have something to compute.
      await waitFor(
        async () => {
          // A counter's rate needs an increase between two scrapes: keep some traffic going meanwhile.
          await fetch(`${cluster.base}/health/live`);
          const rate = await prometheus.get<{ result: unknown[] }>("/api/v1/query", {
            query: "arena:http_requests:rate5m > 0",
          });
          return rate.data.result.length > 0;
        },
        { timeoutMs: 30000, intervalMs: 500, what: "recording rules over scraped traffic" },
      );
      seen = new Set((await prometheus.get<string[]>("/api/v1/label/__name__/values")).data);
    });

    it("scrapes every node, and each exposes the RED, chat, live, durable-event and runtime series", async () => {
      const targets = await prometheus.get<{
        activeTargets: Array<{ health: string; labels: Record<string, string> }>;
      }>("/api/v1/targets");
      expect(targets.data.activeTargets.map((t) => [t.labels.role, t.health]).sort()).toEqual(
        ROLES.map((r) => [r, "up"]).sort(),
      );
      const byRole = async (query: string): Promise<string[]> =>
        (await prometheus.get<{ result: Array<{ metric: { role: string } }> }>("/api/v1/query", { query })).data.result
          .map((r) => r.metric.role)
          .sort();
      expect(await byRole("count by (role) (nodejs_eventloop_lag_p99_seconds)")).toEqual([...ROLES].sort());
      expect(await byRole("count by (role) (moleculer_request_total)")).toEqual([...ROLES].sort());
      expect(await byRole('count by (role) (arena_http_requests_total{route="/api/v1/auth/login"})')).toEqual(["api"]);
      expect(await byRole("count by (role) (arena_realtime_messages_in_total)")).toEqual(["realtime"]);
      expect(await byRole("count by (role) (arena_live_publishes_total)")).toEqual(["media"]);
      for (const name of [
        "arena_http_request_duration_seconds_bucket",
        "moleculer_request_time_bucket",
        "moleculer_request_error_total",
        "arena_realtime_connections",
        "arena_realtime_drops_total",
        "arena_realtime_backpressure_closes_total",
        "arena_live_sessions",
        "arena_live_ingest_bits_per_second",
        "arena_live_packager_failures_total",
        "moleculer_channels_messages_total",
        "arena_durable_events_outbox_lag_seconds",
        "arena_durable_events_outbox_pending",
        "arena_durable_events_dead_letters",
        "process_resident_memory_bytes",
        "nodejs_gc_duration_seconds_bucket",
      ])
        expect(seen).toContain(name);
    });

    it("loads every rule file and evaluates the rules without errors", async () => {
      const rules = await prometheus.get<{
        groups: Array<{ file: string; rules: Array<{ name: string; health: string; lastError?: string }> }>;
      }>("/api/v1/rules");
      expect(rules.data.groups.length).toBeGreaterThanOrEqual(5);
      const unhealthy = rules.data.groups.flatMap((g) => g.rules).filter((r) => r.health === "err");
      expect(unhealthy).toEqual([]);
    });

    it("runs every dashboard expression, and each reads only metrics the scrape produced", async () => {
      const recorded = new Set(
        (
          await prometheus.get<{ groups: Array<{ rules: Array<{ name: string; type: string }> }> }>("/api/v1/rules")
        ).data.groups
          .flatMap((g) => g.rules)
          .filter((r) => r.type === "recording")
          .map((r) => r.name),
      );
      const problems: string[] = [];
      for (const { dashboard, panel, expr } of dashboardExprs()) {
        const answer = await prometheus.get<unknown>("/api/v1/query", { query: expr });
        if (answer.status !== "success") problems.push(`${dashboard} "${panel}": ${answer.error}`);
        for (const name of metricNames(expr))
          if (!seen.has(name) && !recorded.has(name))
            problems.push(`${dashboard} "${panel}": ${name} was never scraped`);
      }
      expect(problems).toEqual([]);
    });
  });
});
