import { join } from "node:path";
import { entity, type DbMixinOptions } from "../../../mixins/db";
import { DURABLE_EVENTS_MIGRATIONS } from "../../../mixins/durable-events";
import type { SegmentDoc, SegmentSessionDoc } from "./schedule.types";

const segments = entity<SegmentDoc>()({
  table: "segments",
  kind: "relational",
  fields: {
    channelId: { type: "string", required: true },
    title: { type: "string", required: true },
    category: { type: "string", default: null },
    startAt: { type: "date", required: true },
    durationMin: { type: "integer", required: true },
    recurring: { type: "boolean", default: false },
    timezone: { type: "string", default: "UTC" },
    cancelled: { type: "boolean", default: false },
    cancelledOccurrences: { type: "json", default: () => [] },
    nextNoticeAt: { type: "date", default: null },
    version: { type: "integer", default: 1 },
  },
});

const sessions = entity<SegmentSessionDoc>()({
  table: "segment_sessions",
  kind: "relational",
  fields: {
    channelId: { type: "string", required: true },
    segmentId: { type: "string", required: true },
    occurrenceStart: { type: "date", required: true },
    startedAt: { type: "date", required: true },
  },
});

export const SCHEDULES_DB: DbMixinOptions = {
  schema: "schedules",
  entities: { segments, sessions },
  primary: "segments",
  migrations: [{ name: "schedules", dir: join(__dirname, "migrations") }, DURABLE_EVENTS_MIGRATIONS],
};
