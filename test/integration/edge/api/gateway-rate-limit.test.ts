import Redis from "ioredis";
import { testConfig, REDIS_URL } from "../../../helpers/infra";
import { startJwksServer, type JwksServer } from "../../../helpers/jwks-server";
import { startGateway, type ErrorBodyShape, type Gateway } from "./gateway-harness";

jest.setTimeout(30000);

interface WhoAmI {
  clientIp: string;
}

function get(gw: Gateway, path: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${gw.base}${path}`, { headers });
}

async function expect429(res: Response): Promise<void> {
  expect(res.status).toBe(429);
  expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  expect(res.headers.get("x-ratelimit-remaining")).toBe("0");
  expect(((await res.json()) as ErrorBodyShape).error.code).toBe("RATE_LIMITED");
}

/** A gateway on the Redis rate-limit store behind a trusted local proxy, the issuer of its tokens, and Redis to read counters. */
interface RedisGateway {
  kc: JwksServer;
  gw: Gateway;
  redis: Redis;
  namespace: string;
}

async function startRedisGateway(limits: Record<string, string>): Promise<RedisGateway> {
  const kc = await startJwksServer();
  const config = await testConfig({
    REDIS_URL,
    OIDC_ISSUER: kc.issuer,
    OIDC_JWKS_URL: kc.jwksUrl,
    RATE_LIMIT_WINDOW_MS: "60000",
    TRUSTED_PROXIES: "127.0.0.1,::1",
    ...limits,
  });
  return { kc, gw: await startGateway(config), redis: new Redis(REDIS_URL), namespace: config.namespace };
}

async function stopRedisGateway(f: Partial<RedisGateway>): Promise<void> {
  await f.gw?.stop();
  await f.kc?.close();
  if (f.redis) {
    // Only our own keys: the namespace is unique to this run.
    const keys = await f.redis.keys(`${f.namespace}:ratelimit:*`);
    if (keys.length) await f.redis.del(...keys);
    await f.redis.quit();
  }
}

describe("gateway rate limits (Redis store) and client IP from trusted proxies", () => {
  let kc: JwksServer;
  let gw: Gateway;
  let redis: Redis;
  let namespace: string;

  beforeAll(async () => {
    ({ kc, gw, redis, namespace } = await startRedisGateway({
      RATE_LIMIT_PER_IP: "5",
      RATE_LIMIT_PER_USER: "3",
      RATE_LIMIT_MEDIA_PER_IP: "8",
    }));
  });
  afterAll(() => stopRedisGateway({ kc, gw, redis, namespace }));

  it("limits per client IP (X-Forwarded-For honoured from a trusted proxy) with Retry-After and X-RateLimit-* headers", async () => {
    const client = { "x-forwarded-for": "203.0.113.10" };
    for (let i = 1; i <= 5; i++) {
      const res = await get(gw, "/api/v1/t/public", client);
      expect(res.status).toBe(200);
      expect(res.headers.get("x-ratelimit-limit")).toBe("5");
      expect(res.headers.get("x-ratelimit-remaining")).toBe(String(5 - i));
      expect(Number(res.headers.get("x-ratelimit-reset"))).toBeGreaterThan(Date.now() / 1000);
      if (i === 1) expect(((await res.json()) as WhoAmI).clientIp).toBe("203.0.113.10");
    }
    await expect429(await get(gw, "/api/v1/t/public", client));
    // Another client behind the same proxy has its own window.
    expect((await get(gw, "/api/v1/t/public", { "x-forwarded-for": "203.0.113.11" })).status).toBe(200);
    // The counter lives in Redis, under this run's prefix. The refused hit was answered by the node itself
    // (its lease said the window is spent: leased-store.ts), so Redis counted the five allowed ones.
    expect(Number(await redis.get(`${namespace}:ratelimit:ip:203.0.113.10`))).toBe(5);
  });

  it("the OpenAPI document draws on the per-IP budget; health probes are never limited", async () => {
    const client = { "x-forwarded-for": "203.0.113.40" };
    for (let i = 1; i <= 5; i++) {
      const res = await get(gw, "/api/openapi.json", client);
      expect(res.status).toBe(200);
      expect(res.headers.get("x-ratelimit-remaining")).toBe(String(5 - i));
    }
    await expect429(await get(gw, "/api/openapi.json", client));
    await expect429(await get(gw, "/api/v1/t/public", client));
    for (let i = 0; i < 3; i++) {
      expect((await get(gw, "/health/live", client)).status).toBe(200);
      expect((await get(gw, "/health/ready", client)).status).toBe(200);
    }
  });

  it("gives signed media its own per-IP budget, so HLS segment fetches neither use up nor are blocked by the API budget", async () => {
    const viewer = { "x-forwarded-for": "203.0.113.77" };
    for (let i = 0; i < 5; i++) expect((await get(gw, "/api/v1/t/public", viewer)).status).toBe(200);
    await expect429(await get(gw, "/api/v1/t/public", viewer));
    for (let i = 1; i <= 8; i++) {
      const res = await get(gw, `/media/live/s1/seg${i}.ts`, viewer);
      expect(res.status).toBe(200);
      expect(res.headers.get("x-ratelimit-limit")).toBe("8");
      await res.arrayBuffer();
    }
    await expect429(await get(gw, "/media/live/s1/seg9.ts", viewer));
    // The refused ninth is answered from the spent lease, without Redis.
    expect(Number(await redis.get(`${namespace}:ratelimit:media-ip:203.0.113.77`))).toBe(8);
  });

  it("uses the right-most untrusted hop, so a client cannot spoof by prepending addresses", async () => {
    const res = await get(gw, "/api/v1/t/public", { "x-forwarded-for": "1.2.3.4, 198.51.100.7, 127.0.0.1" });
    expect(((await res.json()) as WhoAmI).clientIp).toBe("198.51.100.7");
  });

  it("limits per authenticated user across IPs", async () => {
    const token = await kc.issue({ sub: `rl-user-${namespace}` });
    for (let i = 0; i < 3; i++) {
      const res = await get(gw, "/api/v1/t/me", {
        authorization: `Bearer ${token}`,
        "x-forwarded-for": `198.18.0.${i + 1}`,
      });
      expect(res.status).toBe(200);
    }
    await expect429(
      await get(gw, "/api/v1/t/me", { authorization: `Bearer ${token}`, "x-forwarded-for": "198.18.0.99" }),
    );
    // Another user from the same IP is not affected.
    const other = await kc.issue({ sub: `rl-other-${namespace}` });
    expect(
      (await get(gw, "/api/v1/t/me", { authorization: `Bearer ${other}`, "x-forwarded-for": "198.18.0.99" })).status,
    ).toBe(200);
  });
});

describe("gateway rate limits for a caller whose token is already verified (Redis store)", () => {
  let kc: JwksServer;
  let gw: Gateway;
  let redis: Redis;
  let namespace: string;

  beforeAll(async () => {
    ({ kc, gw, redis, namespace } = await startRedisGateway({ RATE_LIMIT_PER_IP: "4", RATE_LIMIT_PER_USER: "6" }));
  });
  afterAll(() => stopRedisGateway({ kc, gw, redis, namespace }));

  // Counted in one round trip (request-auth.ts): the same counters, headers and 429s as one by one.
  it("counts the IP and the user, and leaves the user's counter alone once the IP is over", async () => {
    const sub = `rl-known-${namespace}`;
    const token = await kc.issue({ sub });
    const me = (ip: string) => get(gw, "/api/v1/t/me", { authorization: `Bearer ${token}`, "x-forwarded-for": ip });
    const userCount = async () => Number(await redis.get(`${namespace}:ratelimit:user:${sub}`));
    // The first request verifies the token; the next ones find it verified.
    for (let i = 1; i <= 4; i++) {
      const res = await me("198.19.0.1");
      expect(res.status).toBe(200);
      // The closest limit speaks: the IP's (4) until the user's (6) is closer.
      expect(res.headers.get("x-ratelimit-remaining")).toBe(String(4 - i));
    }
    expect(await userCount()).toBe(4);
    await expect429(await me("198.19.0.1"));
    // The refused fifth is answered from the spent lease, without Redis.
    expect(Number(await redis.get(`${namespace}:ratelimit:ip:198.19.0.1`))).toBe(4);
    // The IP was over: the user was not counted.
    expect(await userCount()).toBe(4);
    expect((await me("198.19.0.2")).status).toBe(200);
    expect((await me("198.19.0.3")).status).toBe(200);
    expect(await userCount()).toBe(6);
    // Now the user is over from any IP, and the fresh IP still paid for the request.
    await expect429(await me("198.19.0.4"));
    expect(Number(await redis.get(`${namespace}:ratelimit:ip:198.19.0.4`))).toBe(1);
    // The user's refused hit is answered from its spent lease, without Redis.
    expect(await userCount()).toBe(6);
  });
});

describe.each([
  ["a peer that is not a trusted proxy", { TRUSTED_PROXIES: "10.255.0.1" }],
  // A local process must not mint client IPs (and fresh rate-limit windows) on a bare install.
  ["loopback, with TRUSTED_PROXIES unset (the default trusts nobody)", { TRUSTED_PROXIES: undefined }],
])("gateway behind %s (memory store)", (_name, env) => {
  let gw: Gateway;

  beforeAll(async () => {
    const config = await testConfig({ RATE_LIMIT_PER_IP: "3", ...env });
    gw = await startGateway(config);
  });
  afterAll(() => gw?.stop());

  it("ignores X-Forwarded-For and X-Forwarded-Proto from it", async () => {
    const first = await get(gw, "/api/v1/t/public", {
      "x-forwarded-for": "203.0.113.50",
      "x-forwarded-proto": "https",
    });
    expect(((await first.json()) as WhoAmI).clientIp).toBe("127.0.0.1");
    expect(first.headers.get("strict-transport-security")).toBeNull();
    // Rotating the header does not buy new windows: all three count against 127.0.0.1.
    expect((await get(gw, "/api/v1/t/public", { "x-forwarded-for": "203.0.113.51" })).status).toBe(200);
    expect((await get(gw, "/api/v1/t/public", { "x-forwarded-for": "203.0.113.52" })).status).toBe(200);
    await expect429(await get(gw, "/api/v1/t/public", { "x-forwarded-for": "203.0.113.53" }));
  });
});

describe("gateway when the Redis rate-limit store is unreachable", () => {
  let gw: Gateway;

  beforeAll(async () => {
    // Port 1: nothing listens there, connections are refused at once.
    gw = await startGateway(await testConfig({ REDIS_URL: "redis://127.0.0.1:1", RATE_LIMIT_PER_IP: "1" }));
  });
  afterAll(() => gw?.stop());

  it("fails open: requests are served (without rate-limit headers) instead of erroring", async () => {
    for (let i = 0; i < 3; i++) {
      const res = await get(gw, "/api/v1/t/public");
      expect(res.status).toBe(200);
      expect(res.headers.get("x-ratelimit-limit")).toBeNull();
    }
  });
});
