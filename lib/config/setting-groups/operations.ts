import type { SettingSpec } from "../setting-spec";

/** Realtime gateway, metrics, web client, logs, tracing, call timeouts and the read cache. */
export const OPERATIONS_SETTINGS = [
  {
    env: "REALTIME_HOST",
    kind: "string",
    embedded: "0.0.0.0",
    production: "0.0.0.0",
    description: "WebSocket gateway bind address",
  },
  { env: "REALTIME_PORT", kind: "int", embedded: "3001", production: "3001", description: "WebSocket gateway port" },
  {
    env: "METRICS_HOST",
    kind: "string",
    embedded: "127.0.0.1",
    production: "0.0.0.0 (scraped from the pod network; NetworkPolicy limits who)",
    description: "Prometheus /metrics bind address (loopback unless opened)",
  },
  {
    env: "REALTIME_PUBLIC_URL",
    kind: "url",
    production: "wss://arena.example/ws",
    description: "WebSocket URL browsers open (web client); unset: ws://<page host>:REALTIME_PORT",
  },
  {
    env: "WEB_DIST_DIR",
    kind: "string",
    production: "unset (web/dist)",
    description: "built web client the api node serves at /; unset: web/dist of this checkout",
  },
  {
    env: "METRICS_PORT",
    kind: "int",
    embedded: "3030",
    production: "3030",
    description: "Prometheus /metrics port (0 disables)",
  },
  {
    env: "LOG_LEVEL",
    kind: "enum",
    choices: ["trace", "debug", "info", "warn", "error", "fatal"],
    embedded: "info",
    production: "info",
    description: "log level",
  },
  {
    env: "LOG_FORMAT",
    kind: "enum",
    choices: ["json", "text"],
    embedded: "text",
    production: "json",
    description: "console logs as JSON lines (for ELK) or text",
  },
  {
    env: "TRACING_EXPORTER",
    kind: "enum",
    choices: ["none", "console", "jaeger", "zipkin"],
    embedded: "none",
    production: "jaeger",
    description: "distributed tracing exporter",
  },
  {
    env: "TRACING_ENDPOINT",
    kind: "url",
    production: "http://jaeger-collector:9411",
    description: "Zipkin v2 collector (Zipkin, or Jaeger's Zipkin port); spans go to <endpoint>/api/v2/spans",
  },
  {
    env: "REQUEST_TIMEOUT_MS",
    kind: "int",
    embedded: "10000",
    production: "10000",
    description: "action call timeout",
  },
  {
    env: "READ_CACHE_TTL_S",
    kind: "int",
    embedded: "5",
    production: "5",
    description:
      "public reads (channels, /me per user) cached this long at most after a change; 0 turns the read cache off",
  },
] as const satisfies readonly SettingSpec[];
