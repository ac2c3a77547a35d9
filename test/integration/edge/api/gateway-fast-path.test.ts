/**
 * The gateway's fast path (services/edge/api/fast-path.ts): /status and
 * cached anonymous reads answered without routing or an action call, with
 * everything the routed path guarantees kept (headers, CORS, rate limit,
 * HEAD, 304, unknown query → 400, metrics, draining), invalidated by the
 * owning service's change broadcast on every gateway node, and per-user
 * answers never shared.
 */
import { ServiceBroker, type Context, type ServiceSchema } from "moleculer";
import { setConfig, type ArenaConfig } from "../../../../lib/config";
import { perUserRead, publicRead, ReadCacheMixin, type ReadCacheThis } from "../../../../mixins/read-cache";
import ApiService, { type ApiSettings, type ApiThis } from "../../../../services/edge/api/api.service";
import { HTTP_FAST_METRIC } from "../../../../services/edge/api/http-metrics";
import type { RouteTable } from "../../../../services/edge/api/route-table";
import StatusService from "../../../../services/platform/status/status.service";
import { statusRoutes } from "../../../../services/platform/status/status.routes";
import { testConfig, uniqueId } from "../../../helpers/infra";
import { startGateway, type Gateway } from "./gateway-harness";

jest.setTimeout(30000);

const FAST_TTL_MS = 400;

const TABLE: RouteTable = {
  routes: [
    { method: "GET", path: "/fp/items/:id", action: "fpstore.get", auth: "optional", summary: "An item" },
    { method: "GET", path: "/fp/mine", action: "fpstore.mine", auth: "optional", summary: "Per caller" },
    { method: "GET", path: "/fp/plain/:id", action: "fpstore.plain", auth: "none", summary: "Not cached" },
  ],
};

interface Store {
  titles: Map<string, string>;
  calls: Record<string, number>;
}

/** A service with public cached reads and a write that broadcasts its invalidation, as DbMixin's writes do. */
function storeService(store: Store): ServiceSchema {
  const count = (name: string) => (store.calls[name] = (store.calls[name] ?? 0) + 1);
  return {
    name: "fpstore",
    mixins: [ReadCacheMixin()],
    actions: {
      get: {
        cache: publicRead(["id"]),
        params: { id: "string", verbose: { type: "boolean", optional: true, convert: true } },
        handler(ctx: Context<{ id: string }>) {
          count("get");
          return { id: ctx.params.id, title: store.titles.get(ctx.params.id) ?? "none" };
        },
      },
      mine: {
        cache: perUserRead(),
        params: {},
        handler(ctx: Context<unknown, { user?: { id: string } }>) {
          count("mine");
          return { user: ctx.meta.user?.id ?? null };
        },
      },
      plain: {
        params: { id: "string" },
        handler(ctx: Context<{ id: string }>) {
          count("plain");
          return { id: ctx.params.id };
        },
      },
      rename: {
        params: { id: "string", title: "string" },
        async handler(this: ReadCacheThis, ctx: Context<{ id: string; title: string }>) {
          store.titles.set(ctx.params.id, ctx.params.title);
          await this.onDbWrite();
          return { ok: true };
        },
      },
    },
  };
}

const newStore = (): Store => ({ titles: new Map([["abc", "First"]]), calls: {} });

async function config(extra: Record<string, string> = {}): Promise<ArenaConfig> {
  return testConfig({
    RATE_LIMIT_PER_IP: "100000",
    READ_CACHE_TTL_S: "5",
    API_RESPONSE_CACHE_TTL_MS: String(FAST_TTL_MS),
    CORS_ORIGINS: "https://allowed.example",
    ...extra,
  });
}

async function startFast(store: Store, extra: Record<string, string> = {}): Promise<Gateway> {
  return startGateway(await config(extra), {
    tables: [TABLE, statusRoutes],
    withTestService: false,
    extraServices: [storeService(store), StatusService],
    broker: { cacher: "Memory", metrics: { enabled: true, reporter: [] } },
  });
}

function fastCount(gw: Gateway, route: string, code = "200"): number {
  const metric = gw.broker.metrics.getMetric(HTTP_FAST_METRIC);
  const value = metric?.get({ route, code }) as { value?: number } | null | undefined;
  return value?.value ?? 0;
}

/** What the test reads of an OpenAPI operation. */
interface Operation {
  parameters?: Array<{ name: string; in: string }>;
  responses: Record<string, { headers?: Record<string, { required?: boolean }> }>;
}

/** Header names of a response that the fast and routed answers must both carry. */
const COMMON_HEADERS = [
  "content-type",
  "content-length",
  "x-request-id",
  "x-content-type-options",
  "x-frame-options",
  "referrer-policy",
  "content-security-policy",
  "cross-origin-opener-policy",
  "keep-alive",
  "x-ratelimit-limit",
  "x-ratelimit-remaining",
  "x-ratelimit-reset",
];

describe("gateway fast path: /status and cached anonymous reads", () => {
  let store: Store;
  let gw: Gateway;
  let base: string;

  beforeAll(async () => {
    store = newStore();
    gw = await startFast(store);
    base = `${gw.base}/api/v1`;
  });
  afterAll(async () => {
    await gw?.stop();
  });

  it("answers /status itself with the routed answer's JSON and headers", async () => {
    const before = fastCount(gw, "/api/v1/status");
    const fast = await fetch(`${base}/status`, { headers: { "x-request-id": "fast-status-0001" } });
    // A request with a cookie is never answered by the fast path: routed, through status.get.
    const routed = await fetch(`${base}/status`, { headers: { cookie: "a=b" } });
    expect(fast.status).toBe(200);
    expect(routed.status).toBe(200);
    expect(fastCount(gw, "/api/v1/status")).toBe(before + 1);
    const body = (await fast.json()) as { nodeId: string; version: string; uptimeS: number };
    const routedBody = (await routed.json()) as typeof body;
    expect(body.nodeId).toBe(gw.broker.nodeID);
    expect({ ...body, uptimeS: 0 }).toEqual({ ...routedBody, uptimeS: 0 });
    expect(Math.abs(body.uptimeS - routedBody.uptimeS)).toBeLessThanOrEqual(1);
    for (const name of COMMON_HEADERS) {
      expect([name, fast.headers.get(name) !== null]).toEqual([name, true]);
      expect([name, routed.headers.get(name) !== null]).toEqual([name, true]);
    }
    expect(fast.headers.get("x-request-id")).toBe("fast-status-0001");
    expect(fast.headers.get("content-type")).toBe(routed.headers.get("content-type"));
    expect(fast.headers.get("strict-transport-security")).toBeNull();
    // Behind no trusted proxy, X-Forwarded-Proto is the client's word: no HSTS either way.
    const spoofed = await fetch(`${base}/status`, { headers: { "x-forwarded-proto": "https" } });
    expect(spoofed.headers.get("strict-transport-security")).toBeNull();
  });

  it("serves a cached read from the gateway after the first routed answer, with an ETag and 304", async () => {
    const url = `${base}/fp/items/abc`;
    const calls = store.calls.get ?? 0;
    const first = await fetch(url);
    expect(first.status).toBe(200);
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const firstBody = await first.text();
    const hitsBefore = fastCount(gw, "/api/v1/fp/items/:id");

    const second = await fetch(url, { headers: { "x-request-id": "fast-read-00001" } });
    expect(second.status).toBe(200);
    expect(await second.text()).toBe(firstBody);
    expect(second.headers.get("etag")).toBe(etag);
    expect(second.headers.get("x-request-id")).toBe("fast-read-00001");
    for (const name of COMMON_HEADERS) expect([name, second.headers.get(name) !== null]).toEqual([name, true]);
    expect(fastCount(gw, "/api/v1/fp/items/:id")).toBe(hitsBefore + 1);
    // The action ran once (the routed answer); the moleculer cacher was not even asked for the second.
    expect(store.calls.get).toBe(calls + 1);

    const head = await fetch(url, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(Buffer.byteLength(firstBody)));
    expect(head.headers.get("etag")).toBe(etag);
    expect(await head.text()).toBe("");

    const notModified = await fetch(url, { headers: { "if-none-match": `W/"x", ${etag}` } });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get("etag")).toBe(etag);
    expect(notModified.headers.get("x-request-id")).not.toBeNull();
    expect(fastCount(gw, "/api/v1/fp/items/:id", "304")).toBeGreaterThanOrEqual(1);
    const changedTag = await fetch(url, { headers: { "if-none-match": '"other"' } });
    expect(changedTag.status).toBe(200);
    expect(store.calls.get).toBe(calls + 1);
  });

  it("answers 304 on the routed path too when the bytes the client holds are unchanged", async () => {
    const url = `${base}/fp/items/abc`;
    const etag = (await fetch(url)).headers.get("etag") ?? "";
    // Another service's write drops every copy of its answers (nothing changed in these bytes).
    await gw.broker.call("fpstore.rename", { id: "other", title: "x" });
    const hits = fastCount(gw, "/api/v1/fp/items/:id");
    const calls = store.calls.get ?? 0;
    const res = await fetch(url, { headers: { "if-none-match": etag } });
    expect(res.status).toBe(304);
    expect(res.headers.get("etag")).toBe(etag);
    expect(res.headers.get("content-type")).toBeNull();
    expect(await res.text()).toBe("");
    // Routed (the action ran again), and its answer was kept: the next one is the gateway's.
    expect(fastCount(gw, "/api/v1/fp/items/:id")).toBe(hits);
    expect(store.calls.get).toBe(calls + 1);
    expect((await fetch(url)).status).toBe(200);
    expect(fastCount(gw, "/api/v1/fp/items/:id")).toBe(hits + 1);
  });

  it("declares the ETag and 304 it answers in the live OpenAPI document, only on the public cached read", async () => {
    const url = `${base}/fp/items/abc`;
    const real = await fetch(url);
    const etag = real.headers.get("etag");
    expect(etag).not.toBeNull();
    const conditional = await fetch(url, { headers: { "if-none-match": etag ?? "" } });
    const doc = (await (await fetch(`${gw.base}/api/openapi.json`)).json()) as {
      paths: Record<string, Record<string, Operation>>;
    };
    const op = doc.paths["/api/v1/fp/items/{id}"]?.get;
    // Each status a real call got is declared, with the headers it carried.
    for (const res of [real, conditional]) expect(Object.keys(op?.responses ?? {})).toContain(String(res.status));
    expect(conditional.status).toBe(304);
    expect(op?.responses["200"]?.headers).toHaveProperty("ETag");
    expect(op?.responses["304"]?.headers?.ETag?.required).toBe(true);
    expect(op?.parameters).toContainEqual(expect.objectContaining({ name: "If-None-Match", in: "header" }));
    // A per-user read and an uncached one answer no ETag, and the document declares none.
    for (const path of ["/api/v1/fp/mine", "/api/v1/fp/plain/{id}"]) {
      const other = doc.paths[path]?.get;
      expect({ path, declared: Object.keys(other?.responses ?? {}).includes("304") }).toEqual({
        path,
        declared: false,
      });
    }
    const plain = await fetch(`${base}/fp/plain/abc`);
    expect(plain.status).toBe(200);
    expect(plain.headers.get("etag")).toBeNull();
  });

  it("keeps CORS: an allowed origin is echoed, another gets the routed 403", async () => {
    const url = `${base}/fp/items/abc`;
    await fetch(url);
    const allowed = await fetch(url, { headers: { origin: "https://allowed.example" } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get("access-control-allow-origin")).toBe("https://allowed.example");
    expect(allowed.headers.get("access-control-expose-headers")).toContain("X-Request-Id");
    const refused = await fetch(url, { headers: { origin: "https://evil.example" } });
    expect(refused.status).toBe(403);
  });

  it("still refuses unknown query parameters with 400 when the plain URL is warm", async () => {
    const url = `${base}/fp/items/abc`;
    expect((await fetch(url)).status).toBe(200);
    const bad = await fetch(`${url}?verbos=1`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("VALIDATION_ERROR");
    // A known parameter is another URL: routed once, then answered under its own key.
    const hits = fastCount(gw, "/api/v1/fp/items/:id");
    expect((await fetch(`${url}?verbose=true`)).status).toBe(200);
    expect(fastCount(gw, "/api/v1/fp/items/:id")).toBe(hits);
    expect((await fetch(`${url}?verbose=true`)).status).toBe(200);
    expect(fastCount(gw, "/api/v1/fp/items/:id")).toBe(hits + 1);
    expect((await fetch(`${url}?verbos=1`)).status).toBe(400);
  });

  it("never shares per-user or uncached answers, nor answers requests with credentials", async () => {
    const mine = store.calls.mine ?? 0;
    await fetch(`${base}/fp/mine`);
    await fetch(`${base}/fp/mine`);
    const hitsMine = fastCount(gw, "/api/v1/fp/mine");
    expect(hitsMine).toBe(0);
    // The moleculer cacher serves the second (anonymous key); the gateway never keeps a per-user read.
    expect(store.calls.mine).toBeGreaterThanOrEqual(mine + 1);

    const plain = store.calls.plain ?? 0;
    await fetch(`${base}/fp/plain/abc`);
    await fetch(`${base}/fp/plain/abc`);
    expect(store.calls.plain).toBe(plain + 2);

    const url = `${base}/fp/items/abc`;
    await fetch(url);
    const hits = fastCount(gw, "/api/v1/fp/items/:id");
    // A bad token: the routed path's auth answers 401 (the fast path would have answered 200).
    expect((await fetch(url, { headers: { authorization: "Bearer not-a-token" } })).status).toBe(401);
    expect((await fetch(url, { headers: { cookie: "arena_session=1" } })).status).toBe(200);
    expect(fastCount(gw, "/api/v1/fp/items/:id")).toBe(hits);
  });

  it("drops a changed read at once (the service's broadcast) and a missed change within the TTL", async () => {
    const url = `${base}/fp/items/abc`;
    const read = async () => ((await (await fetch(url)).json()) as { title: string }).title;
    await read();
    expect(await read()).toBe(store.titles.get("abc"));
    await gw.broker.call("fpstore.rename", { id: "abc", title: "Renamed" });
    expect(await read()).toBe("Renamed");

    // Behind the services' backs (no broadcast): the gateway copy goes after API_RESPONSE_CACHE_TTL_MS,
    // the moleculer cacher's after READ_CACHE_TTL_S; clearing the latter isolates the gateway's bound.
    store.titles.set("abc", "Behind");
    await gw.broker.cacher?.clean("fpstore.**");
    const changedAt = Date.now();
    let title = await read();
    while (title !== "Behind") {
      expect(Date.now() - changedAt).toBeLessThanOrEqual(FAST_TTL_MS + 200);
      await new Promise((r) => setTimeout(r, 50));
      title = await read();
    }
  });

  it("answers with Connection: close while draining", async () => {
    const url = `${base}/fp/items/abc`;
    await fetch(url);
    const hits = fastCount(gw, "/api/v1/fp/items/:id");
    (gw.api as ApiThis).drain.beginDrain();
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get("connection")).toBe("close");
    expect(fastCount(gw, "/api/v1/fp/items/:id")).toBe(hits + 1);
  });
});

describe("gateway fast path: rate limit", () => {
  it("counts fast answers in the per-IP budget; past it the routed path answers 429", async () => {
    const store = newStore();
    const gw = await startFast(store, { RATE_LIMIT_PER_IP: "6", RATE_LIMIT_WINDOW_MS: "60000" });
    try {
      const url = `${gw.base}/api/v1/fp/items/abc`;
      const remaining: string[] = [];
      for (let i = 0; i < 6; i += 1) {
        const res = await fetch(url);
        expect(res.status).toBe(200);
        remaining.push(res.headers.get("x-ratelimit-remaining") ?? "");
      }
      expect(remaining).toEqual(["5", "4", "3", "2", "1", "0"]);
      expect(fastCount(gw, "/api/v1/fp/items/:id")).toBe(5);
      const limited = await fetch(url);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect((await fetch(`${gw.base}/api/v1/status`)).status).toBe(429);
    } finally {
      await gw.stop();
    }
  });
});

describe("gateway fast path: two gateway nodes", () => {
  it("drops the cached answer on the other node when the service changes it", async () => {
    const store = newStore();
    const cfg = await config();
    const namespace = cfg.namespace;
    const transporter = `Fake`;
    // Node A: the store service and a gateway; node B: a gateway only, reading through node A.
    const a = await startGateway(cfg, {
      tables: [TABLE],
      withTestService: false,
      extraServices: [storeService(store)],
      broker: { cacher: "Memory", transporter, nodeID: uniqueId("fp-a"), namespace },
    });
    setConfig(cfg);
    const gatewayB = new ServiceBroker({
      logger: false,
      namespace,
      nodeID: uniqueId("fp-b"),
      transporter,
      cacher: "Memory",
    });
    const apiB = gatewayB.createService({
      name: "api",
      mixins: [ApiService as unknown as ServiceSchema],
      settings: { routeTables: [TABLE], jwksMinRefetchMs: 0 } satisfies ApiSettings,
    } as ServiceSchema) as unknown as ApiThis;
    await gatewayB.start();
    try {
      await gatewayB.waitForServices(["fpstore"], 10000);
      const urlB = `http://127.0.0.1:${apiB.boundPort()}/api/v1/fp/items/abc`;
      const read = async () => ((await (await fetch(urlB)).json()) as { title: string }).title;
      expect(await read()).toBe("First");
      const calls = store.calls.get ?? 0;
      expect(await read()).toBe("First");
      expect(store.calls.get).toBe(calls);
      // Changed on node A: node B's gateway hears the broadcast and routes the next read again.
      await a.broker.call("fpstore.rename", { id: "abc", title: "Changed on A" });
      const changedAt = Date.now();
      let title = await read();
      while (title !== "Changed on A") {
        expect(Date.now() - changedAt).toBeLessThanOrEqual(FAST_TTL_MS + 200);
        await new Promise((r) => setTimeout(r, 20));
        title = await read();
      }
    } finally {
      await gatewayB.stop();
      await a.stop();
    }
  });
});
