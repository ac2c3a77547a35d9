/**
 * The api node as the web client's server: built files at / with SPA
 * fallback, immutable caching for hashed assets, precompressed bodies, the
 * CSP and realtime URL written into index.html; and the cookie-based web
 * session in front of identity.login/refresh (stand-ins for identity here,
 * the real flow runs in test/e2e/web).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { brotliCompressSync, brotliDecompressSync, gzipSync } from "node:zlib";
import type { Context, ServiceSchema } from "moleculer";
import { WEB_SESSION_ACTIONS } from "../../../../services/edge/api/web-session";
import { createTempDir, testConfig } from "../../../helpers/infra";
import { ResponseCheck } from "../../../helpers/response-check";
import { startGateway, type Gateway } from "./gateway-harness";

const INDEX = `<!doctype html><html><head><meta name="arena-realtime-url" content="%ARENA_REALTIME_URL%" /></head><body><div id="app"></div><script type="module" src="/assets/app-abc123.js"></script></body></html>`;
const APP_JS = `console.log(${JSON.stringify("x".repeat(2000))});`;

function fakeDist(): string {
  const dir = createTempDir().path;
  mkdirSync(join(dir, "assets"));
  writeFileSync(join(dir, "index.html"), INDEX);
  writeFileSync(join(dir, "assets", "app-abc123.js"), APP_JS);
  writeFileSync(join(dir, "assets", "app-abc123.js.br"), brotliCompressSync(APP_JS));
  writeFileSync(join(dir, "assets", "app-abc123.js.gz"), gzipSync(APP_JS));
  writeFileSync(join(dir, "favicon.svg"), "<svg/>");
  return dir;
}

interface IdentityCalls {
  login: Array<Record<string, unknown>>;
  refresh: string[];
}

function identityStub(calls: IdentityCalls): ServiceSchema {
  let n = 0;
  const tokens = () => ({
    tokenType: "Bearer",
    accessToken: `access-${++n}`,
    expiresIn: 900,
    refreshToken: `refresh-token-number-${n}-padding`,
    refreshExpiresIn: 3600,
    user: { id: "u1", username: "ada", roles: ["viewer"] },
  });
  return {
    name: "identity",
    actions: {
      jwks: { handler: () => ({ keys: [] }) },
      revokedSessions: { handler: () => ({ sessionIds: [], expiresAt: new Date(Date.now() + 60_000).toISOString() }) },
      login: {
        params: { login: "string", password: "string", totpCode: { type: "string", optional: true } },
        handler(ctx: Context<Record<string, unknown>>) {
          calls.login.push(ctx.params);
          if (ctx.params.password !== "right")
            throw Object.assign(new Error("Wrong login or password"), { code: 401, type: "UNAUTHORIZED" });
          return tokens();
        },
      },
      refresh: {
        params: { refreshToken: "string" },
        handler(ctx: Context<{ refreshToken: string }>) {
          calls.refresh.push(ctx.params.refreshToken);
          if (!ctx.params.refreshToken.startsWith("refresh-token-number-"))
            throw Object.assign(new Error("Refresh token unknown"), { code: 401, type: "UNAUTHORIZED" });
          return tokens();
        },
      },
    },
  };
}

describe("api node: the web client and its session", () => {
  let gw: Gateway;
  const calls: IdentityCalls = { login: [], refresh: [] };

  beforeAll(async () => {
    const config = await testConfig({
      WEB_DIST_DIR: fakeDist(),
      REALTIME_PORT: "45123",
      PUBLIC_URL: "http://127.0.0.1:1",
    });
    gw = await startGateway(config, { withStubs: false, extraServices: [identityStub(calls)] });
  });
  afterAll(() => gw?.stop());

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${gw.base}${path}`, { headers });
  /** Raw HTTP: fetch normalizes dot segments and will not send a custom Host header. */
  const raw = (path: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
      const req = request(`${gw.base}${path}`, { headers }, (res) => {
        let body = "";
        res.on("data", (d: Buffer) => (body += d.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"]), body }));
      });
      req.on("error", reject);
      req.end();
    });

  it("serves index.html at / and for client routes, no-cache, with the CSP and realtime URL filled in", async () => {
    for (const path of ["/", "/c/some-channel", "/account/security?x=1"]) {
      const res = await get(path);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
      expect(res.headers.get("cache-control")).toBe("no-cache");
      const csp = res.headers.get("content-security-policy") ?? "";
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toContain("unsafe-inline");
      expect(csp).toContain("connect-src 'self' ws://127.0.0.1:45123");
      expect(csp).toContain("frame-ancestors 'none'");
      const html = await res.text();
      expect(html).toContain('content="ws://127.0.0.1:45123"');
      expect(html).not.toContain("%ARENA_REALTIME_URL%");
    }
  });

  it("takes the realtime host from a sane Host header and ignores a hostile one", async () => {
    expect((await raw("/", { host: "localhost:8080" })).body).toContain('content="ws://localhost:45123"');
    expect((await raw("/", { host: 'evil"><script>' })).body).toContain('content="ws://127.0.0.1:45123"');
  });

  it("serves hashed assets precompressed with a year of immutable caching", async () => {
    const br = await fetch(`${gw.base}/assets/app-abc123.js`, { headers: { "accept-encoding": "br" } });
    expect(br.status).toBe(200);
    expect(br.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(br.headers.get("content-type")).toMatch(/^text\/javascript/);
    // fetch decodes br itself: the body is the file whichever encoding was used.
    expect(br.headers.get("content-encoding")).toBe("br");
    expect(await br.text()).toBe(APP_JS);
    const plain = await fetch(`${gw.base}/assets/app-abc123.js`, { headers: { "accept-encoding": "identity" } });
    expect(plain.headers.get("content-encoding")).toBeNull();
    expect(await plain.text()).toBe(APP_JS);
    expect(brotliDecompressSync(brotliCompressSync(APP_JS)).toString()).toBe(APP_JS);
    const icon = await get("/favicon.svg");
    expect(icon.headers.get("cache-control")).toBe("public, max-age=3600");
  });

  it("answers a missing asset, an API miss and a traversal attempt with the JSON 404, never index.html", async () => {
    for (const path of [
      "/assets/missing-123.js",
      "/api/v1/nope",
      "/metrics",
      "/health/nope",
      "/../package.json",
      "/assets/../../package.json",
      "/..%2f..%2fpackage.json",
      "/%2e%2e/%2e%2e/etc/passwd.txt",
    ]) {
      const res = await raw(path);
      expect([path, res.status]).toEqual([path, 404]);
      expect(res.type).toMatch(/application\/json/);
    }
  });

  it("HEAD / answers the headers without a body; POST / is not the web client's", async () => {
    const head = await fetch(`${gw.base}/`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    const post = await fetch(`${gw.base}/`, { method: "POST" });
    expect(post.status).toBe(404);
  });

  describe("web session (refresh token in an HttpOnly cookie)", () => {
    // Every answer is checked against the status, headers and body the OpenAPI document declares.
    let check: ResponseCheck;
    beforeAll(async () => {
      check = await ResponseCheck.load(gw.base);
    });
    const web = (action: string, init: RequestInit & { headers?: Record<string, string> } = {}) =>
      check.fetch(`${gw.base}/api/v1/auth/web/${action}`, {
        method: "POST",
        ...init,
        headers: { "x-arena-web": "1", ...init.headers },
      });
    const login = (body: unknown, headers: Record<string, string> = {}) =>
      web("login", { body: JSON.stringify(body), headers: { "content-type": "application/json", ...headers } });

    it("logs in: the refresh token goes into an HttpOnly SameSite=Strict cookie, never the body", async () => {
      const res = await login({ login: "ada", password: "right" });
      expect(res.status).toBe(200);
      const body = (await res.json()) as Record<string, unknown>;
      expect(body.accessToken).toMatch(/^access-/);
      expect(body).not.toHaveProperty("refreshToken");
      const cookies = res.headers.getSetCookie();
      const refresh = cookies.find((c) => c.startsWith("arena_refresh="));
      expect(refresh).toMatch(/HttpOnly/);
      expect(refresh).toMatch(/SameSite=Strict/);
      expect(refresh).toMatch(/Path=\/api\/v1\/auth\/web/);
      expect(refresh).toMatch(/Max-Age=3600/);
      expect(refresh).not.toMatch(/Secure/);
      expect(cookies.find((c) => c.startsWith("arena_session="))).toMatch(/^arena_session=1;.*Path=\//);
    });

    it("refreshes from the cookie and rotates it; no cookie or a dead one is a 401 that drops it", async () => {
      const res = await login({ login: "ada", password: "right" });
      const cookie = (res.headers.getSetCookie()[0] ?? "").split(";")[0] as string;
      const refreshed = await web("refresh", { headers: { cookie } });
      expect(refreshed.status).toBe(200);
      expect(calls.refresh.at(-1)).toBe(decodeURIComponent(cookie.split("=")[1] as string));
      expect(refreshed.headers.getSetCookie()[0]).not.toContain(cookie);
      expect(((await refreshed.json()) as Record<string, unknown>).refreshToken).toBeUndefined();

      expect((await web("refresh")).status).toBe(401);
      const dead = await web("refresh", { headers: { cookie: "arena_refresh=stolen-or-reused-token-xyz" } });
      expect(dead.status).toBe(401);
      expect(dead.headers.getSetCookie()[0]).toMatch(/^arena_refresh=;.*Max-Age=0/);
    });

    it("passes a wrong password through as 401 and never logs the body", async () => {
      const res = await login({ login: "ada", password: "wrong" });
      expect(res.status).toBe(401);
      expect(res.headers.getSetCookie()).toEqual([]);
    });

    it("refuses cross-site use: missing header, foreign Origin, non-JSON and odd bodies", async () => {
      const noHeader = await fetch(`${gw.base}/api/v1/auth/web/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ login: "ada", password: "right" }),
      });
      expect(noHeader.status).toBe(403);
      expect((await login({ login: "ada", password: "right" }, { origin: "https://evil.example" })).status).toBe(403);
      expect((await login({ login: "ada", password: "right" }, { origin: gw.base })).status).toBe(200);
      const form = await web("login", {
        body: "login=ada&password=right",
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
      expect(form.status).toBe(415);
      expect((await login({ login: ["ada"], password: "right" })).status).toBe(400);
      const deep = `{"login":${"[".repeat(3000)}${"]".repeat(3000)},"password":"x"}`;
      expect((await web("login", { body: deep, headers: { "content-type": "application/json" } })).status).toBe(413);
      expect((await login({ login: "ada", password: "right", admin: true })).status).toBe(400);
      const get = await fetch(`${gw.base}/api/v1/auth/web/login`);
      expect(get.status).toBe(405);
      expect(get.headers.get("allow")).toBe("POST");
      expect((await web("whatever")).status).toBe(404);
    });

    it("logout clears both cookies", async () => {
      const res = await web("logout");
      expect(res.status).toBe(200);
      const cookies = res.headers.getSetCookie();
      expect(cookies[0]).toMatch(/^arena_refresh=;.*Max-Age=0/);
      expect(cookies[1]).toMatch(/^arena_session=;.*Max-Age=0/);
    });

    it("the OpenAPI document declares every web session route, and every answer above matched it", async () => {
      const doc = (await (await fetch(`${gw.base}/api/openapi.json`)).json()) as {
        paths: Record<string, Record<string, { responses: Record<string, { headers?: Record<string, unknown> }> }>>;
      };
      for (const action of WEB_SESSION_ACTIONS) {
        const op = doc.paths[`/api/v1/auth/web/${action}`]?.post;
        expect({ action, declared: op !== undefined }).toEqual({ action, declared: true });
        expect(Object.keys(op?.responses["200"]?.headers ?? {})).toContain("Set-Cookie");
      }
      expect(check.operations("webSession.")).toHaveLength(WEB_SESSION_ACTIONS.length);
      expect(check.violationsOf("webSession.")).toEqual([]);
      expect(check.unanswered("webSession.")).toEqual([]);
    });
  });
});
