import type { SettingSpec } from "../setting-spec";

/** The node itself, its peers, its data stores and the durable-event broker. */
export const CLUSTER_SETTINGS = [
  {
    env: "ARENA_MODE",
    kind: "enum",
    choices: ["embedded", "production"],
    embedded: "embedded",
    production: "production",
    description: "embedded generates local secrets; production refuses to boot without them",
  },
  {
    env: "ARENA_SERVICES",
    kind: "list",
    embedded: "all",
    production: "e.g. api or identity,users,channels",
    description: "services this node runs (comma list of service names, or all)",
  },
  {
    env: "NODE_ID",
    kind: "string",
    production: "unique per node (pod name)",
    description: "Moleculer node id; default is hostname-pid",
  },
  {
    env: "NAMESPACE",
    kind: "string",
    embedded: "arena",
    production: "arena",
    description: "Moleculer namespace; nodes only see peers in the same one",
  },
  {
    env: "TRANSPORTER",
    kind: "url",
    production: "nats://nats:4222",
    description: "Moleculer transporter; unset runs every service in one process",
  },
  {
    env: "DATA_DIR",
    kind: "string",
    embedded: "./.data",
    production: "/var/lib/arena",
    description: "local state: PGlite data dir, generated secrets, media storage",
  },
  {
    env: "DATABASE_URL",
    kind: "url",
    production: "postgres://arena:…@postgres:5432/arena",
    description: "PostgreSQL; unset starts embedded PGlite (real Postgres in-process)",
  },
  {
    env: "DATABASE_POOL_MAX",
    kind: "int",
    embedded: "10",
    production: "10",
    description: "max connections per service to PostgreSQL",
  },
  {
    env: "MONGO_URI",
    kind: "url",
    production: "mongodb://mongo:27017/arena",
    description: "MongoDB for document services; unset keeps documents in PostgreSQL JSONB",
  },
  {
    env: "REDIS_URL",
    kind: "url",
    production: "redis://redis:6379",
    description: "cache, rate limits, presence, viewer counts; unset keeps them in memory",
  },
  {
    env: "REDIS_COMMAND_TIMEOUT_MS",
    kind: "int",
    embedded: "250",
    production: "250",
    description: "longest a Redis command may take; a Redis outage costs callers at most this, then fails fast",
  },
  {
    env: "DURABLE_EVENTS_URL",
    kind: "url",
    production: "nats://nats:4222 (JetStream) or amqp://… or redis://…",
    description:
      "broker for durable domain events; unset: JetStream on TRANSPORTER when that is nats://, otherwise in-process",
  },
  {
    env: "DURABLE_EVENTS_MAX_RETRIES",
    kind: "int",
    embedded: "5",
    production: "5",
    description: "deliveries before a durable event goes to the dead-letter queue",
  },
  {
    env: "DURABLE_EVENTS_MAX_IN_FLIGHT",
    kind: "int",
    embedded: "256",
    production: "256",
    description:
      "durable events a consumer group handles at once (per node; group-wide on JetStream); a handler can set its own",
  },
] as const satisfies readonly SettingSpec[];
