import { request } from "node:http";
import type { Service, ServiceSchema } from "moleculer";
import { testConfig, waitFor } from "../../../helpers/infra";
import { ResponseCheck } from "../../../helpers/response-check";
import { startGateway, type ErrorBodyShape, type Gateway } from "./gateway-harness";

jest.setTimeout(30000);

describe("REST gateway: routing, errors, headers", () => {
  let gw: Gateway;

  beforeAll(async () => {
    const config = await testConfig({
      API_BODY_LIMIT: "2kb",
      CORS_ORIGINS: "https://app.arena.test",
      PUBLIC_URL: "https://arena.test",
      // As behind the edge: the local proxy is trusted (nobody is by default).
      TRUSTED_PROXIES: "127.0.0.1",
    });
    gw = await startGateway(config);
  });
  afterAll(() => gw?.stop());

  const get = (path: string, init?: RequestInit) => fetch(`${gw.base}${path}`, init);
  const post = (path: string, body: string, headers: Record<string, string> = { "content-type": "application/json" }) =>
    fetch(`${gw.base}${path}`, { method: "POST", body, headers });

  async function expectError(res: Response, status: number, code: string): Promise<ErrorBodyShape> {
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toMatch(/application\/json/);
    const body = (await res.json()) as ErrorBodyShape;
    expect(body.error.code).toBe(code);
    expect(typeof body.error.message).toBe("string");
    expect(body.error.requestId).toBe(res.headers.get("x-request-id"));
    return body;
  }

  it("serves a declared route", async () => {
    const res = await get("/api/v1/t/items/abc");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: "abc" });
  });

  it.each([
    "/api/v1/$node/list",
    "/api/v1/~node/list",
    "/api/v1/gwtest/secret",
    "/api/v1/gwtest.secret",
    "/api/v1/api/list-aliases",
    "/api/v1/api/rest",
    "/nothing/here",
    "/",
  ])("restrict policy: %s is not reachable (404 in the error body shape)", async (path) => {
    await expectError(await get(path), 404, "NOT_FOUND");
  });

  it("HEAD on a GET route answers like GET without a body; HEAD on a POST-only route is 405", async () => {
    const head = await get("/api/v1/t/items/abc", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toMatch(/application\/json/);
    expect(head.headers.get("x-ratelimit-limit")).not.toBeNull();
    expect(await head.text()).toBe("");
    const media = await get("/media/live/ch1/seg1.ts?sig=abc", { method: "HEAD" });
    expect(media.status).toBe(200);
    expect(media.headers.get("content-type")).toBe("video/mp2t");
    expect(await media.text()).toBe("");
    const missing = await get("/api/v1/t/items/missing", { method: "HEAD" });
    expect(missing.status).toBe(404);
    const postOnly = await get("/api/v1/t/echo", { method: "HEAD" });
    expect(postOnly.status).toBe(405);
    expect(postOnly.headers.get("allow")).toBe("POST");
  });

  it("a declared path with another method → 405 with the path's methods in Allow", async () => {
    const wrong = await post("/api/v1/t/items/abc", "{}");
    await expectError(wrong, 405, "METHOD_NOT_ALLOWED");
    expect(wrong.headers.get("allow")).toBe("GET, HEAD, DELETE");
    const put = await get("/api/v1/t/echo", { method: "PUT" });
    await expectError(put, 405, "METHOD_NOT_ALLOWED");
    expect(put.headers.get("allow")).toBe("POST");
    const getOnPost = await get("/api/v1/t/echo");
    expect(getOnPost.status).toBe(405);
    expect(getOnPost.headers.get("allow")).toBe("POST");
    // An unknown path stays a 404, whatever the method.
    const unknown = await post("/api/v1/t/nothing", "{}");
    await expectError(unknown, 404, "NOT_FOUND");
    expect(unknown.headers.get("allow")).toBeNull();
  });

  it("every error body has details, a list of { field?, message }", async () => {
    const bodies = [
      await expectError(await get("/nothing/here"), 404, "NOT_FOUND"),
      await expectError(await get("/api/v1/t/items/missing"), 404, "NOT_FOUND"),
      await expectError(await get("/api/v1/t/boom"), 500, "INTERNAL_ERROR"),
      await expectError(await post("/api/v1/t/echo", "{"), 400, "MALFORMED_JSON"),
      await expectError(await post("/api/v1/t/items/abc", "{}"), 405, "METHOD_NOT_ALLOWED"),
      await expectError(await get("/api/v1/t/me"), 401, "UNAUTHORIZED"),
    ];
    for (const body of bodies) {
      expect(Array.isArray(body.error.details)).toBe(true);
      for (const d of body.error.details as Array<Record<string, unknown>>)
        expect(Object.keys(d).filter((k) => k !== "field" && k !== "message")).toEqual([]);
    }
  });

  it("a typed 404 names the route's path parameter that held the missing id", async () => {
    const body = await expectError(await get("/api/v1/t/lists/l-404"), 404, "NOT_FOUND");
    expect(body.error.details).toEqual([{ field: "listId", message: "List l-404 not found" }]);
    const own = await expectError(await get("/api/v1/t/items/missing"), 404, "NOT_FOUND");
    expect(own.error.details).toEqual([{ field: "id", message: "Item missing not found" }]);
  });

  it("unknown query parameters → 400 naming each; declared ones (and path params) pass", async () => {
    expect((await get("/api/v1/t/items/abc?verbose=true")).status).toBe(200);
    expect((await get("/api/v1/t/items/abc?id=abc")).status).toBe(200);
    const typo = await expectError(await get("/api/v1/t/items/abc?verbos=1&x=2"), 400, "VALIDATION_ERROR");
    expect(typo.error.details).toEqual([
      { field: "verbos", message: expect.any(String) },
      { field: "x", message: expect.any(String) },
    ]);
    // Validator options are not parameters; an action without params takes no query at all.
    await expectError(await get("/api/v1/t/items/abc?$$strict=false"), 400, "VALIDATION_ERROR");
    await expectError(await get("/api/v1/t/boom?debug=1"), 400, "VALIDATION_ERROR");
    await expectError(await post("/api/v1/t/echo?nmae=ab", JSON.stringify({ name: "ab" })), 400, "VALIDATION_ERROR");
    // Signed media: players add their own parameters (LL-HLS) to the URLs we sign.
    expect((await get("/media/live/ch1/seg1.ts?sig=abc&_HLS_msn=3")).status).toBe(200);
  });

  it("unknown body fields → 400 naming each, as unknown query parameters; declared ones pass", async () => {
    expect((await post("/api/v1/t/echo", JSON.stringify({ name: "ab", tags: ["x"] }))).status).toBe(200);
    const typo = await expectError(
      await post("/api/v1/t/echo", JSON.stringify({ name: "ab", tgas: ["x"], $$strict: false })),
      400,
      "VALIDATION_ERROR",
    );
    expect(typo.error.details).toEqual([
      { field: "tgas", message: expect.any(String) },
      { field: "$$strict", message: expect.any(String) },
    ]);
    expect(typo.error.message).toContain("tgas");
  });

  it("a GET that carries a body still has it checked (unknown fields 400, non-JSON 415), not skipped", async () => {
    // fetch refuses a GET with a body; node:http sends one.
    const getWithBody = (path: string, body: string, type: string) =>
      new Promise<{ status: number; body: ErrorBodyShape }>((resolve, reject) => {
        const req = request(
          `${gw.base}${path}`,
          { method: "GET", headers: { "content-type": type, "content-length": Buffer.byteLength(body) } },
          (res) => {
            let text = "";
            res.on("data", (d: Buffer) => (text += d.toString()));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as ErrorBodyShape }));
          },
        );
        req.on("error", reject);
        req.end(body);
      });
    const unknown = await getWithBody("/api/v1/t/items/abc", JSON.stringify({ zzz: 1 }), "application/json");
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details).toEqual([{ field: "zzz", message: expect.any(String) }]);
    const form = await getWithBody("/api/v1/t/items/abc", "zzz=1", "application/x-www-form-urlencoded");
    expect(form.status).toBe(415);
    expect((await get("/api/v1/t/items/abc")).status).toBe(200);
  });

  it("a GET whose body is chunked (no Content-Length) is answered like one with a length, not dropped", async () => {
    const chunkedGet = (body: string, path = "/api/v1/t/items/abc", type: string | undefined = "application/json") =>
      new Promise<{ status: number; body: ErrorBodyShape }>((resolve, reject) => {
        const req = request(
          `${gw.base}${path}`,
          {
            method: "GET",
            headers: { ...(type ? { "content-type": type } : {}), "transfer-encoding": "chunked" },
          },
          (res) => {
            let text = "";
            res.on("data", (d: Buffer) => (text += d.toString()));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as ErrorBodyShape }));
          },
        );
        req.on("error", reject);
        req.write(body.slice(0, 3));
        req.end(body.slice(3));
      });
    const unknown = await chunkedGet(JSON.stringify({ zzz: 1 }));
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details).toEqual([{ field: "zzz", message: expect.any(String) }]);
    // A body of no declared type is refused, and a system path answers as usual: neither drops the connection.
    expect((await chunkedGet("hello", "/api/v1/t/items/abc", undefined)).status).toBe(400);
    expect((await chunkedGet("hello", "/health/live", undefined)).status).toBe(200);
    expect((await get("/api/v1/t/items/abc")).status).toBe(200);
  });

  it("validation errors → 400 VALIDATION_ERROR with field details", async () => {
    const body = await expectError(
      await post("/api/v1/t/echo", JSON.stringify({ name: "x" })),
      400,
      "VALIDATION_ERROR",
    );
    expect(body.error.details).toEqual([expect.objectContaining({ field: "name", message: expect.any(String) })]);
  });

  it("typed errors keep their status and code", async () => {
    const body = await expectError(await get("/api/v1/t/items/missing"), 404, "NOT_FOUND");
    expect(body.error.message).toBe("Item missing not found");
  });

  it("unexpected errors → 500 INTERNAL_ERROR without internals", async () => {
    const res = await get("/api/v1/t/boom");
    const text = await res.clone().text();
    await expectError(res, 500, "INTERNAL_ERROR");
    expect(text).not.toMatch(/hunter2|secret\.ts|stack|gwtest/);
  });

  it("malformed JSON → 400", async () => {
    await expectError(await post("/api/v1/t/echo", '{"name": "ab",'), 400, "MALFORMED_JSON");
  });

  it("oversize body → 413", async () => {
    await expectError(
      await post("/api/v1/t/echo", JSON.stringify({ name: "a".repeat(5000) })),
      413,
      "PAYLOAD_TOO_LARGE",
    );
  });

  it("non-JSON body on a JSON route → 415", async () => {
    await expectError(
      await post("/api/v1/t/echo", "name=abc", { "content-type": "application/x-www-form-urlencoded" }),
      415,
      "UNSUPPORTED_MEDIA_TYPE",
    );
  });

  it("sets security headers on every response, HSTS only over https", async () => {
    for (const res of [await get("/api/v1/t/public"), await get("/nope")]) {
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
      expect(res.headers.get("content-security-policy")).toMatch(/default-src 'none'/);
      expect(res.headers.get("strict-transport-security")).toBeNull();
    }
    // 127.0.0.1 is a trusted proxy here (TRUSTED_PROXIES), so its X-Forwarded-Proto counts.
    const viaTls = await get("/api/v1/t/public", { headers: { "x-forwarded-proto": "https" } });
    expect(viaTls.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
  });

  it("echoes a sane X-Request-Id and puts it in ctx.meta; replaces an unsafe one", async () => {
    const res = await get("/api/v1/t/public", { headers: { "x-request-id": "client-req-12345" } });
    expect(res.headers.get("x-request-id")).toBe("client-req-12345");
    expect(((await res.json()) as { requestId: string }).requestId).toBe("client-req-12345");

    const bad = await get("/api/v1/t/public", { headers: { "x-request-id": "evil\tid with spaces" } });
    const generated = bad.headers.get("x-request-id");
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    expect(((await bad.json()) as { requestId: string }).requestId).toBe(generated);

    const none = await get("/api/v1/t/public");
    expect(none.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(none.headers.get("x-request-id")).not.toBe(generated);
  });

  it("answers a CORS preflight for an allowed origin and refuses others", async () => {
    const ok = await fetch(`${gw.base}/api/v1/t/echo`, {
      method: "OPTIONS",
      headers: {
        origin: "https://app.arena.test",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type,authorization",
      },
    });
    expect(ok.status).toBe(204);
    expect(ok.headers.get("access-control-allow-origin")).toBe("https://app.arena.test");
    expect(ok.headers.get("access-control-allow-methods")).toMatch(/POST/);
    expect(ok.headers.get("access-control-allow-headers")).toMatch(/Authorization/);

    const evil = await fetch(`${gw.base}/api/v1/t/echo`, {
      method: "OPTIONS",
      headers: { origin: "https://evil.test", "access-control-request-method": "POST" },
    });
    await expectError(evil, 403, "FORBIDDEN");
    expect(evil.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("wildcard media route streams the action's response with its content type and headers", async () => {
    const res = await get("/media/live/ch1/seg%2001.ts?sig=abc.def");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("video/mp2t");
    expect(res.headers.get("cache-control")).toBe("private, max-age=60");
    expect(await res.text()).toBe("segment:live/ch1/seg 01.ts:sig=abc.def");
  });

  it("OpenAPI 3.1 document lists the test routes with params from the action schemas", async () => {
    const res = await get("/api/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        "/api/v1/t/public",
        "/api/v1/t/optional",
        "/api/v1/t/me",
        "/api/v1/t/creators",
        "/api/v1/t/echo",
        "/api/v1/t/items/{id}",
        "/api/v1/t/lists/{listId}",
        "/api/v1/t/boom",
        "/api/v1/t/uploads/{id}",
        "/media/{path}",
        // The web session the gateway answers itself on every api node, whatever its tables.
        "/api/v1/auth/web/login",
        "/api/v1/auth/web/refresh",
        "/api/v1/auth/web/logout",
        // And its system routes.
        "/health/live",
        "/health/ready",
        "/api/openapi.json",
      ].sort(),
    );
    const echo = doc.paths["/api/v1/t/echo"]?.post as {
      requestBody: { content: Record<string, { schema: unknown }> };
      security: unknown;
    };
    expect(echo.requestBody.content["application/json"]?.schema).toEqual({
      type: "object",
      properties: { name: { type: "string", minLength: 2 }, tags: { type: "array", items: { type: "string" } } },
      required: ["name"],
    });
    expect(echo.security).toEqual([]);
    const item = doc.paths["/api/v1/t/items/{id}"]?.get as { parameters: unknown[] };
    expect(item.parameters).toEqual([
      { name: "id", in: "path", required: true, schema: { type: "string", minLength: 3 } },
      { name: "verbose", in: "query", required: false, schema: { type: "boolean" } },
    ]);
    expect((doc.paths["/api/v1/t/creators"]?.post as { security: unknown; "x-roles": unknown }).security).toEqual([
      { bearer: [] },
    ]);
    expect((doc.paths["/api/v1/t/creators"]?.post as { "x-roles": unknown })["x-roles"]).toEqual(["creator"]);
  });

  it("health: live and ready", async () => {
    const live = await get("/health/live");
    expect(live.status).toBe(200);
    const ready = await get("/health/ready");
    expect(ready.status).toBe(200);
    expect(((await ready.json()) as { checks: Array<{ name: string; ok: boolean }> }).checks).toEqual([
      { name: "broker", ok: true },
    ]);
  });
});

describe("REST gateway: readiness", () => {
  let gw: Gateway;
  let dbUp = true;
  let pings = 0;
  let gate: Promise<void> = Promise.resolve();

  beforeAll(async () => {
    const withDb: ServiceSchema = {
      name: "gwdb",
      created(this: Service) {
        // What the db mixin exposes; the gateway only needs ping().
        (this as Service & { db: { ping(): Promise<void> } }).db = {
          ping: async () => {
            pings++;
            await gate;
            if (!dbUp) throw new Error("connect ECONNREFUSED 127.0.0.1:5432");
          },
        };
      },
    };
    gw = await startGateway(await testConfig(), { extraServices: [withDb] });
    check = await ResponseCheck.load(gw.base);
  });
  afterAll(() => gw?.stop());
  // Every answer of this block goes through the check: its status and body must be what the document declares.
  let check: ResponseCheck;
  const fetch = (url: string): Promise<Response> => check.fetch(url);

  it("is ready while every local database answers, 503 with the failing check otherwise", async () => {
    const ok = await fetch(`${gw.base}/health/ready`);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { checks: unknown[] }).checks).toContainEqual({ name: "db:gwdb", ok: true });

    dbUp = false;
    const down = await fetch(`${gw.base}/health/ready`);
    expect(down.status).toBe(503);
    const body = (await down.json()) as {
      status: string;
      checks: Array<{ name: string; ok: boolean; error?: string }>;
    };
    expect(body.status).toBe("unavailable");
    expect(body.checks).toContainEqual({ name: "db:gwdb", ok: false, error: expect.stringContaining("ECONNREFUSED") });
    expect((await fetch(`${gw.base}/health/live`)).status).toBe(200);
    dbUp = true;
  });

  it("requests arriving while a readiness check runs share it (a probe flood is not a database-ping flood)", async () => {
    let open!: () => void;
    gate = new Promise<void>((resolve) => (open = resolve));
    let arrived = 0;
    const count = () => arrived++;
    gw.api.server.on("request", count);
    const before = pings;
    const answers = Promise.all(Array.from({ length: 10 }, () => fetch(`${gw.base}/health/ready`)));
    await waitFor(() => arrived === 10, { what: "10 readiness requests in flight" });
    open();
    expect((await answers).map((r) => r.status)).toEqual(Array(10).fill(200));
    gw.api.server.off("request", count);
    expect(pings - before).toBe(1);
    // Once it has answered, the next request checks again.
    expect((await fetch(`${gw.base}/health/ready`)).status).toBe(200);
    expect(pings - before).toBe(2);
  });

  it("the OpenAPI document declares the system routes, and every answer above (200 and 503) matched it", async () => {
    expect((await fetch(`${gw.base}/api/openapi.json`)).status).toBe(200);
    expect(check.operations("system.")).toEqual(["GET /api/openapi.json", "GET /health/live", "GET /health/ready"]);
    expect(check.violationsOf("system.")).toEqual([]);
    expect(check.unanswered("system.")).toEqual([]);
  });
});
