import { resolve } from "node:path";
import type { ArenaConfig, ArenaMode, LogLevel } from "./arena-config";
import { GENERATED_SETTINGS, SETTINGS, type SettingName, type SettingSpec } from "./settings";
import { readVaultSettings } from "./vault";
import { loadOrCreateLocalSecrets } from "./local-secrets";

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join("\n  - ")}`);
    this.name = "ConfigError";
  }
}

type Source = Record<string, string | undefined>;
const SPEC_BY_NAME = new Map<string, SettingSpec>(SETTINGS.map((s: SettingSpec) => [s.env, s]));

/** Reads raw values: env first, then Vault, then the embedded default. */
class SettingReader {
  readonly problems: string[] = [];
  constructor(
    private readonly env: Source,
    private readonly vault: Source,
    private readonly generated: Source,
  ) {}

  raw(name: SettingName): string | undefined {
    const spec = SPEC_BY_NAME.get(name);
    const value = this.env[name] ?? this.vault[name] ?? this.generated[name] ?? spec?.embedded;
    return value === "" ? undefined : value;
  }

  string(name: SettingName): string | undefined {
    return this.raw(name);
  }

  required(name: SettingName, why: string): string {
    const value = this.raw(name);
    if (value === undefined) {
      this.problems.push(`${name} is required ${why}`);
      return "";
    }
    return value;
  }

  int(name: SettingName): number {
    const value = this.raw(name);
    const parsed = Number(value);
    if (value === undefined || !Number.isInteger(parsed) || parsed < 0) {
      this.problems.push(`${name} must be a non-negative integer, got ${JSON.stringify(value)}`);
      return 0;
    }
    return parsed;
  }

  list(name: SettingName): string[] {
    return (this.raw(name) ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
  }

  url(name: SettingName): string | undefined {
    const value = this.raw(name);
    if (value === undefined) return undefined;
    try {
      new URL(value);
    } catch {
      this.problems.push(`${name} must be a URL, got ${JSON.stringify(value)}`);
    }
    return value;
  }

  choice<T extends string>(name: SettingName): T {
    const value = this.raw(name);
    const choices = SPEC_BY_NAME.get(name)?.choices ?? [];
    if (value === undefined || !choices.includes(value)) {
      this.problems.push(`${name} must be one of ${choices.join("|")}, got ${JSON.stringify(value)}`);
      return (choices[0] ?? "") as T;
    }
    return value as T;
  }
}

/**
 * Builds the config from the environment (and Vault when VAULT_ADDR is set).
 * Throws ConfigError listing every problem at once so an operator fixes them
 * in one pass instead of one reboot per mistake.
 */
export async function loadConfig(env: Source = process.env, fetchImpl: typeof fetch = fetch): Promise<ArenaConfig> {
  let vaultValues: Source = {};
  if (env.VAULT_ADDR) {
    if (!env.VAULT_TOKEN) throw new ConfigError(["VAULT_TOKEN is required when VAULT_ADDR is set"]);
    vaultValues = await readVaultSettings(
      { addr: env.VAULT_ADDR, token: env.VAULT_TOKEN, kvPath: env.VAULT_KV_PATH ?? "secret/data/arena" },
      fetchImpl,
    );
  }
  const mode = (env.ARENA_MODE ?? vaultValues.ARENA_MODE ?? "embedded") as ArenaMode;
  const dataDir = resolve(env.DATA_DIR ?? vaultValues.DATA_DIR ?? "./.data");
  const missingSecrets = GENERATED_SETTINGS.filter((name) => !env[name] && !vaultValues[name]);
  const generated: Source =
    mode === "embedded" && missingSecrets.length > 0 ? loadOrCreateLocalSecrets(dataDir, missingSecrets) : {};
  const r = new SettingReader(env, vaultValues, generated);
  const secretWhy = "in production mode (set it in the environment or Vault)";

  const media: ArenaConfig["media"] = {
    provider: r.choice("MEDIA_PROVIDER"),
    urlSecret: r.required("MEDIA_URL_SECRET", secretWhy),
    urlTtlS: r.int("MEDIA_URL_TTL_S"),
    rtmp: { host: r.string("RTMP_HOST") ?? "127.0.0.1", port: r.int("RTMP_PORT") },
    ffmpegPath: r.string("FFMPEG_PATH") ?? "ffmpeg",
    live: {
      ladder: r.string("LIVE_HLS_LADDER") ?? "720p:2800,480p:1400,360p:800",
      x264Preset: r.string("LIVE_X264_PRESET") ?? "veryfast",
      reconnectGraceS: r.int("LIVE_RECONNECT_GRACE_S"),
      mediaLiveRoleArn: r.string("MEDIALIVE_ROLE_ARN"),
      mediaLiveInputCidrs: r.list("MEDIALIVE_INPUT_CIDRS"),
    },
    vod: {
      uploadMaxSize: r.string("VOD_UPLOAD_MAX_SIZE") ?? "2gb",
      mediaConvertRoleArn: r.string("MEDIACONVERT_ROLE_ARN"),
      mediaConvertEndpoint: r.url("MEDIACONVERT_ENDPOINT"),
    },
    storageDriver: r.choice("STORAGE_DRIVER"),
    s3: { bucket: r.string("S3_BUCKET"), endpoint: r.url("S3_ENDPOINT") },
    awsRegion: r.string("AWS_REGION"),
    cloudfront: {
      domain: r.string("CLOUDFRONT_DOMAIN"),
      keyPairId: r.string("CLOUDFRONT_KEY_PAIR_ID"),
      privateKey: r.string("CLOUDFRONT_PRIVATE_KEY"),
    },
  };
  if (media.storageDriver === "s3" && !media.s3.bucket) r.problems.push("S3_BUCKET is required when STORAGE_DRIVER=s3");
  if (media.provider === "aws" && !media.awsRegion) r.problems.push("AWS_REGION is required when MEDIA_PROVIDER=aws");

  const config: ArenaConfig = {
    mode: r.choice("ARENA_MODE"),
    services: r.list("ARENA_SERVICES").filter((s) => s !== "all"),
    nodeId: r.string("NODE_ID"),
    namespace: r.string("NAMESPACE") ?? "arena",
    transporter: r.url("TRANSPORTER"),
    dataDir,
    database: { url: r.url("DATABASE_URL"), poolMax: r.int("DATABASE_POOL_MAX") },
    mongoUri: r.url("MONGO_URI"),
    redisUrl: r.url("REDIS_URL"),
    redisCommandTimeoutMs: r.int("REDIS_COMMAND_TIMEOUT_MS"),
    durableEvents: {
      url: r.url("DURABLE_EVENTS_URL"),
      maxRetries: r.int("DURABLE_EVENTS_MAX_RETRIES"),
      maxInFlight: r.int("DURABLE_EVENTS_MAX_IN_FLIGHT"),
    },
    api: {
      host: r.string("API_HOST") ?? "0.0.0.0",
      port: r.int("API_PORT"),
      bodyLimit: r.string("API_BODY_LIMIT") ?? "1mb",
      corsOrigins: r.list("CORS_ORIGINS"),
      trustedProxies: r.list("TRUSTED_PROXIES"),
      rateLimit: {
        windowMs: r.int("RATE_LIMIT_WINDOW_MS"),
        perIp: r.int("RATE_LIMIT_PER_IP"),
        perUser: r.int("RATE_LIMIT_PER_USER"),
        mediaPerIp: r.int("RATE_LIMIT_MEDIA_PER_IP"),
        searchPerIp: r.int("RATE_LIMIT_SEARCH_PER_IP"),
        searchPerUser: r.int("RATE_LIMIT_SEARCH_PER_USER"),
      },
      responseCacheSize: r.int("API_RESPONSE_CACHE_SIZE"),
      responseCacheTtlMs: r.int("API_RESPONSE_CACHE_TTL_MS"),
    },
    publicUrl: r.url("PUBLIC_URL") ?? "http://127.0.0.1:3000",
    auth: {
      issuer: r.url("OIDC_ISSUER"),
      audience: r.string("OIDC_AUDIENCE") ?? "arena",
      jwksUrl: r.url("OIDC_JWKS_URL"),
      algorithms: r.list("JWT_ALGORITHMS"),
      accessTokenTtlS: r.int("ACCESS_TOKEN_TTL_S"),
      refreshTokenTtlS: r.int("REFRESH_TOKEN_TTL_S"),
      passwordHashCost: r.int("PASSWORD_HASH_COST"),
      tokenCacheSize: r.int("AUTH_TOKEN_CACHE_SIZE"),
      tokenCacheTtlS: r.int("AUTH_TOKEN_CACHE_TTL_S"),
      keyEncryptionSecret: r.required("IDENTITY_KEY_ENCRYPTION_SECRET", secretWhy),
      admins: r.list("ARENA_ADMINS").map((a) => a.toLowerCase()),
    },
    mail: {
      smtpUrl: r.url("SMTP_URL"),
      from: r.string("MAIL_FROM") ?? "Arena <no-reply@localhost>",
      verificationTtlS: r.int("EMAIL_VERIFICATION_TTL_S"),
      passwordResetTtlS: r.int("PASSWORD_RESET_TTL_S"),
      perHour: r.int("PASSWORD_RESET_PER_HOUR"),
    },
    media,
    realtime: {
      host: r.string("REALTIME_HOST") ?? "0.0.0.0",
      port: r.int("REALTIME_PORT"),
      publicUrl: r.url("REALTIME_PUBLIC_URL"),
    },
    notifications: {
      retentionDays: r.int("NOTIFICATIONS_RETENTION_DAYS"),
      mobileProvider: r.choice("PUSH_MOBILE_PROVIDER"),
      fcm: { projectId: r.string("FCM_PROJECT_ID"), credentialsFile: r.string("FCM_CREDENTIALS_FILE") },
      sns: { platformApplicationArn: r.string("SNS_PLATFORM_APPLICATION_ARN"), endpoint: r.url("SNS_ENDPOINT") },
      vapid: { privateKey: r.string("VAPID_PRIVATE_KEY"), subject: r.string("VAPID_SUBJECT") ?? vapidSubject(env) },
    },
    analytics: {
      rawRetentionDays: r.int("ANALYTICS_RAW_RETENTION_DAYS"),
      rollupRetentionDays: r.int("ANALYTICS_ROLLUP_RETENTION_DAYS"),
      rollupIntervalS: r.int("ANALYTICS_ROLLUP_INTERVAL_S"),
      partitionsAheadDays: r.int("ANALYTICS_PARTITIONS_AHEAD_DAYS"),
      minGroupSize: r.int("ANALYTICS_MIN_GROUP_SIZE"),
      heartbeatMinIntervalS: r.int("ANALYTICS_HEARTBEAT_MIN_INTERVAL_S"),
    },
    webDistDir: r.string("WEB_DIST_DIR"),
    metricsHost: r.string("METRICS_HOST") ?? "127.0.0.1",
    metricsPort: r.int("METRICS_PORT"),
    search: { cacheTtlMs: r.int("SEARCH_CACHE_TTL_MS") },
    log: { level: r.choice<LogLevel>("LOG_LEVEL"), format: r.choice("LOG_FORMAT") },
    tracing: { exporter: r.choice("TRACING_EXPORTER"), endpoint: r.url("TRACING_ENDPOINT") },
    requestTimeoutMs: r.int("REQUEST_TIMEOUT_MS"),
    readCacheTtlS: r.int("READ_CACHE_TTL_S"),
    vault: { addr: env.VAULT_ADDR, token: env.VAULT_TOKEN, kvPath: r.string("VAULT_KV_PATH") ?? "secret/data/arena" },
  };
  if (
    config.mode === "production" &&
    (media.provider === "aws" || media.storageDriver === "s3") &&
    !media.cloudfront.privateKey
  ) {
    r.problems.push(`CLOUDFRONT_PRIVATE_KEY is required ${secretWhy} when media is served from AWS`);
  }
  if (config.auth.algorithms.some((alg) => alg.toLowerCase() === "none" || alg.startsWith("HS"))) {
    r.problems.push("JWT_ALGORITHMS may only list asymmetric algorithms (RS*, PS*, ES*, EdDSA)");
  }
  const cost = config.auth.passwordHashCost;
  if (cost < 10 || cost > 20) r.problems.push(`PASSWORD_HASH_COST must be between 10 and 20, got ${cost}`);
  // A cheap hash is for test runs only: a production node never stores one.
  if (config.mode === "production" && cost < 15)
    r.problems.push(`PASSWORD_HASH_COST below 15 is for tests only; production mode refuses ${cost}`);
  const push = config.notifications;
  if (push.mobileProvider === "fcm" && !push.fcm.projectId)
    r.problems.push("FCM_PROJECT_ID is required when PUSH_MOBILE_PROVIDER=fcm");
  if (push.mobileProvider === "sns" && (!push.sns.platformApplicationArn || !media.awsRegion))
    r.problems.push("SNS_PLATFORM_APPLICATION_ARN and AWS_REGION are required when PUSH_MOBILE_PROVIDER=sns");
  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return config;
}

/** VAPID needs an https: or mailto: contact: PUBLIC_URL when it is https, a placeholder mailbox otherwise. */
function vapidSubject(env: Source): string {
  const url = env.PUBLIC_URL ?? "";
  return url.startsWith("https://") ? url : "mailto:push@localhost";
}
