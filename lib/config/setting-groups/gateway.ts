import type { SettingSpec } from "../setting-spec";

/** The REST gateway: bind, CORS, response and search caches, proxies, rate limits, public URL. */
export const GATEWAY_SETTINGS = [
  {
    env: "API_HOST",
    kind: "string",
    embedded: "0.0.0.0",
    production: "0.0.0.0",
    description: "REST gateway bind address",
  },
  { env: "API_PORT", kind: "int", embedded: "3000", production: "3000", description: "REST gateway port" },
  { env: "API_BODY_LIMIT", kind: "string", embedded: "1mb", production: "1mb", description: "max JSON body size" },
  {
    env: "CORS_ORIGINS",
    kind: "list",
    embedded: "http://localhost:3000,http://127.0.0.1:3000",
    production: "https://arena.example",
    description: "origins allowed by CORS and by the WebSocket Origin check",
  },
  {
    env: "API_RESPONSE_CACHE_SIZE",
    kind: "int",
    embedded: "1000",
    production: "1000",
    description:
      "anonymous answers of cached public reads each gateway keeps as bytes (least recently used dropped); 0 routes every read",
  },
  {
    env: "API_RESPONSE_CACHE_TTL_MS",
    kind: "int",
    embedded: "1000",
    production: "1000",
    description:
      "longest a gateway serves such an answer without asking the owning service again (a change's event drops it at once)",
  },
  {
    env: "TRUSTED_PROXIES",
    kind: "list",
    production: "your reverse proxy's or ingress's addresses/CIDRs",
    description:
      "peers (addresses or CIDRs) whose X-Forwarded-For and X-Forwarded-Proto are believed; unset trusts nobody, so the socket peer is the client",
  },
  {
    env: "RATE_LIMIT_WINDOW_MS",
    kind: "int",
    embedded: "60000",
    production: "60000",
    description: "gateway rate-limit window",
  },
  {
    env: "RATE_LIMIT_PER_IP",
    kind: "int",
    embedded: "300",
    production: "300",
    description: "requests per window per client IP",
  },
  {
    env: "RATE_LIMIT_MEDIA_PER_IP",
    kind: "int",
    embedded: "6000",
    production: "6000",
    description: "signed media requests per window per client IP (an HLS player makes about 60 a minute)",
  },
  {
    env: "RATE_LIMIT_PER_USER",
    kind: "int",
    embedded: "600",
    production: "600",
    description: "requests per window per authenticated user",
  },
  {
    env: "RATE_LIMIT_SEARCH_PER_IP",
    kind: "int",
    embedded: "240",
    production: "240",
    description: "search and autocomplete requests per window per client IP (on top of the general budget)",
  },
  {
    env: "RATE_LIMIT_SEARCH_PER_USER",
    kind: "int",
    embedded: "240",
    production: "240",
    description: "search and autocomplete requests per window per authenticated user",
  },
  {
    env: "SEARCH_CACHE_TTL_MS",
    kind: "int",
    embedded: "2000",
    production: "2000",
    description:
      "how long a cached search result (Redis, REDIS_URL) may be served; documents leaving the results drop the cache at once",
  },
  {
    env: "PUBLIC_URL",
    kind: "url",
    embedded: "http://127.0.0.1:3000",
    production: "https://arena.example",
    description: "base URL clients use; issuer and signed media URLs derive from it",
  },
] as const satisfies readonly SettingSpec[];
