/**
 * Every setting Arena reads, in one table. The README's configuration table is
 * generated from this list (`npm run config:table`), so the two cannot drift.
 *
 * `embedded` is the default that makes `npm start` work on a bare machine;
 * `production` says what an operator sets instead. A `secret` setting has no
 * hard-coded default; a `generated` one is generated in embedded mode and
 * persisted under DATA_DIR, and in production mode boot fails unless env or
 * Vault provides it.
 */
export type SettingKind = "string" | "int" | "bool" | "list" | "url" | "enum";

export interface SettingSpec {
  env: string;
  kind: SettingKind;
  description: string;
  embedded?: string;
  production: string;
  secret?: boolean;
  /** A secret that embedded mode generates and keeps in DATA_DIR/secrets.json when it is not set. */
  generated?: boolean;
  choices?: readonly string[];
}

export const SETTINGS = [
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
  {
    env: "ARENA_ADMINS",
    kind: "list",
    production: "e.g. alice,ops@arena.example",
    description:
      "usernames or emails of local accounts that get the admin role when they register, or at boot if they exist (built-in issuer only; never removes it)",
  },
  {
    env: "OIDC_ISSUER",
    kind: "url",
    production: "https://keycloak.example/realms/arena",
    description: "token issuer; unset uses Arena's built-in issuer",
  },
  { env: "OIDC_AUDIENCE", kind: "string", embedded: "arena", production: "arena", description: "required aud claim" },
  {
    env: "OIDC_JWKS_URL",
    kind: "url",
    production: "<issuer>/protocol/openid-connect/certs",
    description: "JWKS location; default derived from the issuer",
  },
  {
    env: "JWT_ALGORITHMS",
    kind: "list",
    embedded: "EdDSA,RS256",
    production: "RS256",
    description: "accepted signature algorithms (pinned)",
  },
  {
    env: "ACCESS_TOKEN_TTL_S",
    kind: "int",
    embedded: "900",
    production: "900",
    description: "built-in issuer access-token lifetime",
  },
  {
    env: "PASSWORD_HASH_COST",
    kind: "int",
    embedded: "15",
    production: "15",
    description:
      "scrypt cost of new password hashes, as log2 N (15: 32 MiB, ~100 ms); 10-20; below 15 only for test runs, production mode refuses it",
  },
  {
    env: "REFRESH_TOKEN_TTL_S",
    kind: "int",
    embedded: "2592000",
    production: "2592000",
    description: "built-in issuer refresh-token lifetime",
  },
  {
    env: "AUTH_TOKEN_CACHE_SIZE",
    kind: "int",
    embedded: "10000",
    production: "10000",
    description:
      "verified bearer tokens each gateway keeps (by hash, least recently used dropped); 0 verifies every request",
  },
  {
    env: "AUTH_TOKEN_CACHE_TTL_S",
    kind: "int",
    embedded: "60",
    production: "60",
    description:
      "longest a verified token is trusted without checking its signature again (never past its exp; revocation is checked on every request)",
  },
  {
    env: "IDENTITY_KEY_ENCRYPTION_SECRET",
    kind: "string",
    secret: true,
    generated: true,
    production: "32+ random bytes (Vault)",
    description: "encrypts the built-in issuer's private signing keys at rest",
  },
  {
    env: "SMTP_URL",
    kind: "url",
    secret: true,
    production: "smtps://user:pass@smtp.example:465",
    description:
      "mail (verification, password reset, security notices) goes through this SMTP server; unset writes each mail as an .eml file under DATA_DIR/mail/ and logs where",
  },
  {
    env: "MAIL_FROM",
    kind: "string",
    embedded: "Arena <no-reply@localhost>",
    production: "Arena <no-reply@arena.example>",
    description: "From address of Arena's mail",
  },
  {
    env: "EMAIL_VERIFICATION_TTL_S",
    kind: "int",
    embedded: "86400",
    production: "86400",
    description: "lifetime of an email verification link (registration and email change)",
  },
  {
    env: "PASSWORD_RESET_TTL_S",
    kind: "int",
    embedded: "3600",
    production: "3600",
    description: "lifetime of a password reset link (single use)",
  },
  {
    env: "PASSWORD_RESET_PER_HOUR",
    kind: "int",
    embedded: "3",
    production: "3",
    description:
      "reset mails sent to one account per hour (and verification mails per purpose); further requests get the same answer and no mail",
  },
  {
    env: "MEDIA_URL_SECRET",
    kind: "string",
    secret: true,
    generated: true,
    production: "32+ random bytes (Vault)",
    description: "HMAC key for signed local media URLs",
  },
  {
    env: "MEDIA_URL_TTL_S",
    kind: "int",
    embedded: "3600",
    production: "3600",
    description: "lifetime of signed playback URLs",
  },
  {
    env: "MEDIA_PROVIDER",
    kind: "enum",
    choices: ["local", "aws"],
    embedded: "local",
    production: "aws",
    description: "live ingest and packaging: local RTMP+ffmpeg or AWS MediaLive",
  },
  {
    env: "RTMP_HOST",
    kind: "string",
    embedded: "127.0.0.1",
    production: "0.0.0.0",
    description: "local RTMP ingest bind address",
  },
  { env: "RTMP_PORT", kind: "int", embedded: "1935", production: "1935", description: "local RTMP ingest port" },
  {
    env: "FFMPEG_PATH",
    kind: "string",
    embedded: "ffmpeg",
    production: "ffmpeg",
    description: "ffmpeg binary for local transcoding",
  },
  {
    env: "LIVE_HLS_LADDER",
    kind: "string",
    embedded: "720p:2800,480p:1400,360p:800",
    production: "720p:2800,480p:1400,360p:800",
    description: "live renditions under the source copy: <height>p:<videoKbps>[:<audioKbps>], never upscaled",
  },
  {
    env: "LIVE_X264_PRESET",
    kind: "string",
    embedded: "veryfast",
    production: "veryfast",
    description: "x264 preset of live renditions (ultrafast on small machines)",
  },
  {
    env: "MEDIALIVE_ROLE_ARN",
    kind: "string",
    production: "arn:aws:iam::…:role/MediaLiveAccessRole",
    description: "IAM role MediaLive channels run as (MEDIA_PROVIDER=aws)",
  },
  {
    env: "MEDIALIVE_INPUT_CIDRS",
    kind: "list",
    embedded: "0.0.0.0/0",
    production: "your encoders' CIDRs",
    description: "who may push RTMP to MediaLive inputs (MEDIA_PROVIDER=aws)",
  },
  {
    env: "LIVE_RECONNECT_GRACE_S",
    kind: "int",
    embedded: "30",
    production: "30",
    description: "a broadcaster reconnecting within this many seconds continues the same live session",
  },
  {
    env: "VOD_UPLOAD_MAX_SIZE",
    kind: "string",
    embedded: "2gb",
    production: "2gb",
    description: "largest VOD source upload (e.g. 500mb, 2gb)",
  },
  {
    env: "MEDIACONVERT_ROLE_ARN",
    kind: "string",
    production: "arn:aws:iam::…:role/MediaConvertRole",
    description: "IAM role MediaConvert VOD jobs run as (MEDIA_PROVIDER=aws)",
  },
  {
    env: "MEDIACONVERT_ENDPOINT",
    kind: "url",
    production: "unset (regional endpoint)",
    description: "MediaConvert endpoint override (account endpoint or a stand-in)",
  },
  {
    env: "STORAGE_DRIVER",
    kind: "enum",
    choices: ["local", "s3"],
    embedded: "local",
    production: "s3",
    description: "object storage for media",
  },
  { env: "S3_BUCKET", kind: "string", production: "arena-media", description: "bucket for media objects" },
  { env: "S3_ENDPOINT", kind: "url", production: "unset for AWS", description: "S3-compatible endpoint override" },
  { env: "AWS_REGION", kind: "string", production: "eu-west-1", description: "region for AWS clients" },
  {
    env: "CLOUDFRONT_DOMAIN",
    kind: "string",
    production: "dxxxx.cloudfront.net",
    description: "CloudFront distribution for playback",
  },
  {
    env: "CLOUDFRONT_KEY_PAIR_ID",
    kind: "string",
    production: "K…",
    description: "CloudFront public key id for signed URLs",
  },
  {
    env: "CLOUDFRONT_PRIVATE_KEY",
    kind: "string",
    secret: true,
    production: "PEM (Vault)",
    description: "CloudFront signing key (required only when MEDIA_PROVIDER/STORAGE_DRIVER use AWS)",
  },
  {
    env: "ANALYTICS_RAW_RETENTION_DAYS",
    kind: "int",
    embedded: "14",
    production: "14",
    description: "days of raw per-minute analytics kept (daily partitions are dropped whole after that)",
  },
  {
    env: "ANALYTICS_ROLLUP_RETENTION_DAYS",
    kind: "int",
    embedded: "730",
    production: "730",
    description: "days of hourly and daily analytics rollups kept",
  },
  {
    env: "ANALYTICS_ROLLUP_INTERVAL_S",
    kind: "int",
    embedded: "60",
    production: "60",
    description: "seconds between analytics rollup runs (hours touched since the last run are recomputed; 0 disables)",
  },
  {
    env: "ANALYTICS_PARTITIONS_AHEAD_DAYS",
    kind: "int",
    embedded: "3",
    production: "3",
    description: "daily analytics partitions created ahead of today",
  },
  {
    env: "ANALYTICS_MIN_GROUP_SIZE",
    kind: "int",
    embedded: "5",
    production: "5",
    description:
      "analytics breakdowns (unique chatters/viewers, retention curves, top lists) under this many people are not shown",
  },
  {
    env: "ANALYTICS_HEARTBEAT_MIN_INTERVAL_S",
    kind: "int",
    embedded: "10",
    production: "10",
    description: "a viewer's watch-progress heartbeats for one video closer than this are refused (429)",
  },
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
  {
    env: "NOTIFICATIONS_RETENTION_DAYS",
    kind: "int",
    embedded: "90",
    production: "90",
    description: "read notifications older than this are deleted (unread ones after twice as long)",
  },
  {
    env: "PUSH_MOBILE_PROVIDER",
    kind: "enum",
    choices: ["none", "fcm", "sns"],
    embedded: "none",
    production: "fcm or sns",
    description: "mobile push: none (in-app and WebSocket only), FCM HTTP v1, or SNS platform endpoints",
  },
  {
    env: "FCM_PROJECT_ID",
    kind: "string",
    production: "your Firebase project id",
    description: "Firebase project mobile pushes are sent through (PUSH_MOBILE_PROVIDER=fcm)",
  },
  {
    env: "FCM_CREDENTIALS_FILE",
    kind: "string",
    production: "/run/secrets/fcm-service-account.json",
    description: "service account JSON for FCM; unset uses Google application default credentials",
  },
  {
    env: "SNS_PLATFORM_APPLICATION_ARN",
    kind: "string",
    production: "arn:aws:sns:…:app/GCM/arena",
    description: "SNS platform application device tokens are registered in (PUSH_MOBILE_PROVIDER=sns; AWS_REGION too)",
  },
  {
    env: "SNS_ENDPOINT",
    kind: "url",
    production: "unset (AWS)",
    description: "SNS API endpoint override (a local SNS-compatible server)",
  },
  {
    env: "VAPID_PRIVATE_KEY",
    kind: "string",
    secret: true,
    generated: true,
    production: "P-256 private key, base64url (Vault); unset turns Web Push off",
    description: "signs Web Push requests (VAPID); the public key browsers subscribe with is derived from it",
  },
  {
    env: "VAPID_SUBJECT",
    kind: "string",
    production: "mailto:ops@your.domain",
    description: "contact push services see in the VAPID token; default is PUBLIC_URL (https) or mailto:push@localhost",
  },
  {
    env: "VAULT_ADDR",
    kind: "url",
    production: "https://vault:8200",
    description: "when set, settings are also read from Vault KV v2",
  },
  {
    env: "VAULT_TOKEN",
    kind: "string",
    secret: true,
    production: "from the Vault agent",
    description: "Vault token (only with VAULT_ADDR)",
  },
  {
    env: "VAULT_KV_PATH",
    kind: "string",
    embedded: "secret/data/arena",
    production: "secret/data/arena",
    description: "KV v2 path whose keys are setting names",
  },
] as const satisfies readonly SettingSpec[];

export type SettingName = (typeof SETTINGS)[number]["env"];

/** The settings that must never have a hard-coded default. */
export const SECRET_SETTINGS: readonly SettingName[] = SETTINGS.filter((s: SettingSpec) => s.secret === true).map(
  (s) => s.env,
);

/** The secrets embedded mode generates (DATA_DIR/secrets.json) when they are not set. */
export const GENERATED_SETTINGS: readonly SettingName[] = SETTINGS.filter((s: SettingSpec) => s.generated === true).map(
  (s) => s.env,
);
