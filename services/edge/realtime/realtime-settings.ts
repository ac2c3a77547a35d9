/**
 * The realtime service's tunables. Service settings given explicitly (tests,
 * benchmarks) win over values derived from the validated Arena config.
 */
import type { ArenaConfig } from "../../../lib/config";
import { DEFAULT_SEND_LIMITS, type SendLimits } from "./rate-limit";

export interface RealtimeSettings {
  host: string;
  /** 0 picks a free port (tests); the bound port is in `realtime.stats`. */
  port: number;
  namespace: string;
  /** NATS URL for cross-node fan-out; unset means this node is alone (embedded). */
  natsUrl?: string;
  /** True when the broker has a transporter: other realtime nodes may exist, so fan-out must cross nodes. */
  clustered: boolean;
  /** Redis URL for cluster-wide viewer counts; unset keeps them in memory. */
  redisUrl?: string;
  /** Browser Origins allowed to connect; "*" allows any. Requests without Origin (non-browser clients) are allowed. */
  allowedOrigins: string[];
  trustedProxies: string[];
  maxConnectionsPerIp: number;
  maxConnectionsPerUser: number;
  maxRoomsPerSocket: number;
  /** Public topics (`subscribe` frames) one socket may follow at once. */
  maxTopicsPerSocket: number;
  /** Largest client frame in bytes; bigger frames close the socket (1009). */
  maxPayloadBytes: number;
  maxMessageChars: number;
  /** Sockets silent for this long (no frame, no pong) are closed by uWS; it pings automatically. */
  idleTimeoutS: number;
  /** Anonymous sockets that join no room in this time are closed (4001). */
  anonymousJoinTimeoutMs: number;
  /** Frames to one room within this window go out as one WebSocket message. */
  coalesceMs: number;
  /** uWS skips a socket whose buffered bytes exceed this when publishing. */
  maxBackpressureBytes: number;
  /** A socket holding more than this unsent is closed as a slow consumer (4008). */
  slowConsumerBytes: number;
  viewerTickMs: number;
  viewerSampleMs: number;
  /** Liveness TTL of a node in the Redis viewer counts. */
  viewerNodeTtlMs: number;
  /** Store history through the chat service and ack only after it is stored. */
  persistHistory: boolean;
  historyFlushMs: number;
  historyMaxBatch: number;
  /** Messages awaiting storage before new ones are refused (INTERNAL) instead of being fanned out unstored. */
  historyMaxBuffered: number;
  sendLimits: SendLimits;
  allowedLinkHosts: string[];
  /** Client frames that fail validation before the socket is closed (4029). */
  maxBadFrames: number;
  /** Any client frame (join, ping...) costs one token: a burst of frameBurst, refilled at frameRate per second. */
  frameBurst: number;
  frameRate: number;
  /** How often rooms with members re-read policy and moderation state, in case an event was missed. */
  roomRefreshMs: number;
}

export function defaultRealtimeSettings(config: ArenaConfig): RealtimeSettings {
  const nats = config.transporter?.startsWith("nats://") ? config.transporter : undefined;
  let publicHost: string | undefined;
  try {
    publicHost = new URL(config.publicUrl).hostname;
  } catch {
    publicHost = undefined;
  }
  return {
    host: config.realtime.host,
    port: config.realtime.port,
    namespace: config.namespace,
    natsUrl: nats,
    clustered: config.transporter !== undefined,
    redisUrl: config.redisUrl,
    allowedOrigins: config.api.corsOrigins,
    trustedProxies: config.api.trustedProxies,
    maxConnectionsPerIp: 200,
    maxConnectionsPerUser: 10,
    maxRoomsPerSocket: 20,
    maxTopicsPerSocket: 50,
    maxPayloadBytes: 8 * 1024,
    maxMessageChars: 500,
    idleTimeoutS: 60,
    anonymousJoinTimeoutMs: 10000,
    coalesceMs: 10,
    maxBackpressureBytes: 1024 * 1024,
    slowConsumerBytes: 512 * 1024,
    viewerTickMs: 1000,
    viewerSampleMs: 5000,
    viewerNodeTtlMs: 4000,
    persistHistory: true,
    historyFlushMs: 50,
    historyMaxBatch: 500,
    historyMaxBuffered: 50000,
    sendLimits: DEFAULT_SEND_LIMITS,
    allowedLinkHosts: publicHost ? [publicHost] : [],
    maxBadFrames: 10,
    frameBurst: 60,
    frameRate: 20,
    roomRefreshMs: 60000,
  };
}

export function resolveRealtimeSettings(config: ArenaConfig, overrides: Partial<RealtimeSettings>): RealtimeSettings {
  const base = defaultRealtimeSettings(config);
  const defined = Object.fromEntries(
    Object.entries(overrides).filter(([, v]) => v !== undefined),
  ) as Partial<RealtimeSettings>;
  return { ...base, ...defined, sendLimits: { ...base.sendLimits, ...(defined.sendLimits ?? {}) } };
}
