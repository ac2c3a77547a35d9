/** The typed view of every setting; built once by `loadConfig`. */
export type ArenaMode = "embedded" | "production";
export type LogLevel = "trace" | "debug" | "info" | "warn" | "error" | "fatal";

export interface ArenaConfig {
  mode: ArenaMode;
  /** Service names this node runs; empty means all. */
  services: string[];
  nodeId?: string;
  namespace: string;
  transporter?: string;
  dataDir: string;
  database: { url?: string; poolMax: number };
  mongoUri?: string;
  redisUrl?: string;
  /** Bound of every Redis command (cacher, rate limits, dedupe, viewer counts). */
  redisCommandTimeoutMs: number;
  durableEvents: { url?: string; maxRetries: number; maxInFlight: number };
  /** Search result cache (Redis when REDIS_URL is set). */
  search: { cacheTtlMs: number };
  api: {
    host: string;
    port: number;
    bodyLimit: string;
    corsOrigins: string[];
    trustedProxies: string[];
    rateLimit: {
      windowMs: number;
      perIp: number;
      perUser: number;
      mediaPerIp: number;
      searchPerIp: number;
      searchPerUser: number;
    };
    /** API_RESPONSE_CACHE_SIZE: anonymous cached-read answers each gateway keeps as bytes (fast-path.ts); 0 = off. */
    responseCacheSize: number;
    /** API_RESPONSE_CACHE_TTL_MS: longest such an answer is served without asking the owning service again. */
    responseCacheTtlMs: number;
  };
  publicUrl: string;
  auth: {
    /** Unset means the built-in issuer (identity service) signs tokens. */
    issuer?: string;
    audience: string;
    jwksUrl?: string;
    algorithms: string[];
    accessTokenTtlS: number;
    refreshTokenTtlS: number;
    /** PASSWORD_HASH_COST: log2 of scrypt's N for new password hashes (existing hashes carry their own). */
    passwordHashCost: number;
    /** AUTH_TOKEN_CACHE_SIZE: verified bearer tokens a gateway keeps (lib/auth/verified-token-cache.ts); 0 = off. */
    tokenCacheSize: number;
    /** AUTH_TOKEN_CACHE_TTL_S: longest a verified token is trusted without checking its signature again. */
    tokenCacheTtlS: number;
    keyEncryptionSecret: string;
    /** ARENA_ADMINS, lower-cased: local accounts (username, or email when it has an @) made admin. */
    admins: string[];
  };
  /** Outgoing mail: SMTP when `smtpUrl` is set, .eml files under DATA_DIR/mail/ otherwise. */
  mail: {
    smtpUrl?: string;
    from: string;
    verificationTtlS: number;
    passwordResetTtlS: number;
    perHour: number;
  };
  media: {
    provider: "local" | "aws";
    urlSecret: string;
    urlTtlS: number;
    rtmp: { host: string; port: number };
    ffmpegPath: string;
    vod: { uploadMaxSize: string; mediaConvertRoleArn?: string; mediaConvertEndpoint?: string };
    live: {
      ladder: string;
      x264Preset: string;
      reconnectGraceS: number;
      mediaLiveRoleArn?: string;
      mediaLiveInputCidrs: string[];
    };
    storageDriver: "local" | "s3";
    s3: { bucket?: string; endpoint?: string };
    awsRegion?: string;
    cloudfront: { domain?: string; keyPairId?: string; privateKey?: string };
  };
  realtime: { host: string; port: number; publicUrl?: string };
  notifications: {
    retentionDays: number;
    mobileProvider: "none" | "fcm" | "sns";
    fcm: { projectId?: string; credentialsFile?: string };
    sns: { platformApplicationArn?: string; endpoint?: string };
    /** Unset in production without VAPID_PRIVATE_KEY: Web Push is off. */
    vapid: { privateKey?: string; subject: string };
  };
  analytics: {
    rawRetentionDays: number;
    rollupRetentionDays: number;
    rollupIntervalS: number;
    partitionsAheadDays: number;
    minGroupSize: number;
    heartbeatMinIntervalS: number;
  };
  /** The built web client the api node serves at `/`; unset means web/dist of this checkout. */
  webDistDir?: string;
  /** Bind address of /metrics: loopback by default, opened explicitly where Prometheus scrapes over the network. */
  metricsHost: string;
  metricsPort: number;
  log: { level: LogLevel; format: "json" | "text" };
  tracing: { exporter: "none" | "console" | "jaeger" | "zipkin"; endpoint?: string };
  requestTimeoutMs: number;
  /** READ_CACHE_TTL_S: the longest a cached public read may lag a change (mixins/read-cache); 0 = off. */
  readCacheTtlS: number;
  vault: { addr?: string; token?: string; kvPath: string };
}
