import { join } from "node:path";
import { entity, type DbMixinOptions } from "../../../mixins/db";
import { DURABLE_EVENTS_MIGRATIONS } from "../../../mixins/durable-events";
import type { ClipDoc, ClipViewDoc, MarkerDoc } from "./clip.types";

const clips = entity<ClipDoc>()({
  table: "clips",
  kind: "relational",
  fields: {
    channelId: { type: "string", required: true },
    ownerId: { type: "string", required: true },
    ownerName: { type: "string", required: true },
    title: { type: "string", required: true },
    sourceKind: { type: "string", required: true },
    sessionId: { type: "string", default: null },
    videoId: { type: "string", default: null },
    sourceKey: { type: "string", required: true },
    startS: { type: "float", default: null },
    durationS: { type: "float", required: true },
    requestedAt: { type: "date", required: true },
    status: { type: "string", required: true },
    method: { type: "string", default: null },
    storageKey: { type: "string", default: null },
    thumbnailKey: { type: "string", default: null },
    sizeBytes: { type: "bigint", default: null },
    viewCount: { type: "integer", default: 0 },
    failureReason: { type: "text", default: null },
    attempts: { type: "integer", default: 0 },
    leaseOwner: { type: "string", default: null },
    leaseUntil: { type: "date", default: null },
    finishedAt: { type: "date", default: null },
  },
});

const views = entity<ClipViewDoc>()({
  table: "clip_views",
  kind: "relational",
  fields: {
    clipId: { type: "string", required: true },
    viewerKey: { type: "string", required: true },
    lastCountedAt: { type: "date", required: true },
  },
});

const markers = entity<MarkerDoc>()({
  table: "markers",
  kind: "relational",
  fields: {
    channelId: { type: "string", required: true },
    sessionId: { type: "string", required: true },
    offsetS: { type: "float", required: true },
    description: { type: "string", required: true },
    createdBy: { type: "string", required: true },
  },
});

export const CLIPS_DB: DbMixinOptions = {
  schema: "clips",
  entities: { clips, views, markers },
  primary: "clips",
  migrations: [{ name: "clips", dir: join(__dirname, "migrations") }, DURABLE_EVENTS_MIGRATIONS],
};
