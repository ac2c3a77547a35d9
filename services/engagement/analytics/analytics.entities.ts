import { join } from "node:path";
import { entity, type BaseDocument, type DbMixinOptions } from "../../../mixins/db";
import { DURABLE_EVENTS_MIGRATIONS } from "../../../mixins/durable-events";

/** A live session as analytics knows it (stream.started / stream.ended). */
export interface StreamSessionDoc extends BaseDocument {
  channelId: string;
  title: string;
  startedAt: Date;
  endedAt: Date | null;
  durationS: number | null;
  peakViewers: number | null;
}

/** A video as analytics knows it (video.created / video.published / video.deleted). */
export interface VideoDimDoc extends BaseDocument {
  channelId: string;
  title: string;
  durationS: number | null;
  origin: string;
  deleted: boolean;
}

/**
 * Analytics keeps its time series in PostgreSQL (or embedded PGlite) through
 * raw SQL: range partitions, multi-row upserts and rollups are SQL features
 * with no document-store equivalent, so its entities are relational even
 * when MONGO_URI is set. The stores are the two dimension tables.
 */
const streamSessions = entity<StreamSessionDoc>()({
  table: "stream_sessions",
  kind: "relational",
  fields: {
    channelId: { type: "string", required: true },
    title: { type: "string", default: "" },
    startedAt: { type: "date", required: true },
    endedAt: { type: "date" },
    durationS: { type: "float" },
    peakViewers: { type: "integer" },
  },
});

const videos = entity<VideoDimDoc>()({
  table: "videos",
  kind: "relational",
  fields: {
    channelId: { type: "string", required: true },
    title: { type: "string", default: "" },
    durationS: { type: "float" },
    origin: { type: "string", default: "upload" },
    deleted: { type: "boolean", default: false },
  },
});

export const ANALYTICS_DB: DbMixinOptions = {
  schema: "analytics",
  entities: { streamSessions, videos },
  primary: "streamSessions",
  migrations: [{ name: "analytics", dir: join(__dirname, "migrations") }, DURABLE_EVENTS_MIGRATIONS],
};
