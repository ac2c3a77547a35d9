/** What the streams service stores (schema "streams", migrations/), and its DbMixin config. */
import { join } from "node:path";
import type { IngestHealthSample } from "../../../lib/media/ingest-health";
import { entity, type BaseDocument, type DbMixinOptions } from "../../../mixins/db";
import { DURABLE_EVENTS_MIGRATIONS } from "../../../mixins/durable-events";

/** One row per go-live, from first publish to the end of the reconnect grace period. */
export type SessionStatus = "live" | "reconnecting" | "ended";

export interface SessionDoc extends BaseDocument {
  channelId: string;
  ownerId: string;
  status: SessionStatus;
  title: string;
  category: string | null;
  language: string;
  provider: string;
  /** Node whose ingest holds the broadcaster (grace timers live there). */
  nodeId: string;
  connectionId: string | null;
  startedAt: Date;
  disconnectedAt: Date | null;
  endedAt: Date | null;
  durationS: number | null;
  viewerCount: number;
  viewersSampledAt?: Date | null;
  peakViewers: number;
  lastHealth: IngestHealthSample | null;
  recordingKey: string | null;
}

/**
 * What a session row holds for our infrastructure, not for the user, left out of their data export: the media
 * provider, the ingest node and connection holding the broadcaster, when viewers were last sampled, and the
 * recording's storage key.
 */
export const SESSION_BOOKKEEPING = ["provider", "nodeId", "connectionId", "viewersSampledAt", "recordingKey"] as const;

export interface HealthSampleDoc extends BaseDocument {
  sessionId: string;
  channelId: string;
  at: Date;
  bitrateKbps: number;
  fps: number;
  keyframeIntervalS: number;
  droppedFrames: number;
  width: number;
  height: number;
}

export type StreamsModels = {
  sessions: SessionDoc;
  healthSamples: HealthSampleDoc;
};

const sessions = entity<SessionDoc>()({
  table: "sessions",
  kind: "document",
  fields: {
    channelId: { type: "string", required: true },
    ownerId: { type: "string", required: true },
    status: { type: "string", required: true },
    title: { type: "string", required: true },
    category: { type: "string" },
    language: { type: "string", default: "en" },
    provider: { type: "string", required: true },
    nodeId: { type: "string", required: true },
    connectionId: { type: "string" },
    startedAt: { type: "date", required: true },
    disconnectedAt: { type: "date" },
    endedAt: { type: "date" },
    durationS: { type: "integer" },
    viewerCount: { type: "integer", default: 0 },
    viewersSampledAt: { type: "date" },
    peakViewers: { type: "integer", default: 0 },
    lastHealth: { type: "json" },
    recordingKey: { type: "string" },
  },
  indexes: [{ fields: { status: 1, viewerCount: -1 } }, { fields: { channelId: 1, startedAt: -1 } }],
});

const healthSamples = entity<HealthSampleDoc>()({
  table: "health_samples",
  kind: "document",
  fields: {
    sessionId: { type: "string", required: true },
    channelId: { type: "string", required: true },
    at: { type: "date", required: true },
    bitrateKbps: { type: "integer", required: true },
    fps: { type: "float", required: true },
    keyframeIntervalS: { type: "float", required: true },
    droppedFrames: { type: "integer", required: true },
    width: { type: "integer", required: true },
    height: { type: "integer", required: true },
  },
  indexes: [{ fields: { sessionId: 1, at: -1 } }],
});

export const STREAMS_DB: DbMixinOptions = {
  schema: "streams",
  primary: "sessions",
  entities: { sessions, healthSamples },
  migrations: [{ name: "streams", dir: join(__dirname, "migrations") }, DURABLE_EVENTS_MIGRATIONS],
};
