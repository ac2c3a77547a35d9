import { join } from "node:path";
import { entity, type DbMixinOptions } from "../../../mixins/db";
import type { CommentDoc, VideoDoc, VideoJobDoc, VideoViewDoc } from "./video.types";
import { DURABLE_EVENTS_MIGRATIONS } from "../../../mixins/durable-events";

/** Document entities: JSONB-backed tables in PostgreSQL, collections on MongoDB. */
const videos = entity<VideoDoc>()({
  table: "videos",
  kind: "document",
  fields: {
    channelId: { type: "string", required: true },
    ownerId: { type: "string", required: true },
    title: { type: "string", required: true },
    description: { type: "text", default: "" },
    category: { type: "string", default: null },
    tags: { type: "json", default: () => [] },
    visibility: { type: "string", required: true },
    status: { type: "string", required: true },
    origin: { type: "string", required: true },
    sourceId: { type: "string", default: null },
    liveSessionId: { type: "string", default: null },
    sourceKey: { type: "string", default: null },
    sourceBytes: { type: "bigint", default: null },
    sourceType: { type: "string", default: null },
    durationS: { type: "float", default: null },
    width: { type: "integer", default: null },
    height: { type: "integer", default: null },
    masterPlaylistKey: { type: "string", default: null },
    renditions: { type: "json", default: () => [] },
    thumbnailKey: { type: "string", default: null },
    failureReason: { type: "text", default: null },
    viewCount: { type: "integer", default: 0 },
    commentCount: { type: "integer", default: 0 },
    publishedAt: { type: "date", default: null },
    listedAt: { type: "date", required: true },
  },
  // The listing sorts (video-listing.ts), as migrations 003 to 005 have them on PostgreSQL.
  indexes: [
    { fields: { channelId: 1, status: 1, visibility: 1, listedAt: -1, _id: 1 } },
    { fields: { channelId: 1, listedAt: -1, _id: 1 } },
    { fields: { status: 1, visibility: 1, listedAt: -1, _id: 1 } },
    { fields: { status: 1, visibility: 1, viewCount: -1, listedAt: -1, _id: 1 } },
    { fields: { status: 1, visibility: 1, category: 1, listedAt: -1, _id: 1 } },
    { fields: { status: 1, visibility: 1, category: 1, viewCount: -1, listedAt: -1, _id: 1 } },
    { fields: { tags: 1 } },
    { fields: { sourceId: 1 }, unique: true },
  ],
});

const jobs = entity<VideoJobDoc>()({
  table: "video_jobs",
  kind: "document",
  fields: {
    videoId: { type: "string", required: true },
    state: { type: "string", required: true },
    attempts: { type: "integer", default: 0 },
    maxAttempts: { type: "integer", default: 3 },
    availableAt: { type: "date", required: true },
    leaseOwner: { type: "string", default: null },
    workerNodeId: { type: "string", default: null },
    leaseUntil: { type: "date", default: null },
    externalRef: { type: "string", default: null },
    lastError: { type: "text", default: null },
  },
  indexes: [{ fields: { state: 1, availableAt: 1 } }, { fields: { videoId: 1 } }],
});

const views = entity<VideoViewDoc>()({
  table: "video_views",
  kind: "document",
  fields: {
    videoId: { type: "string", required: true },
    viewerKey: { type: "string", required: true },
    lastCountedAt: { type: "date", required: true },
  },
  indexes: [{ fields: { videoId: 1 } }],
});

const comments = entity<CommentDoc>()({
  table: "video_comments",
  kind: "document",
  fields: {
    videoId: { type: "string", required: true },
    channelId: { type: "string", required: true },
    authorId: { type: "string", required: true },
    authorName: { type: "string", required: true },
    parentId: { type: "string", default: null },
    rootId: { type: "string", default: null },
    depth: { type: "integer", default: 0 },
    body: { type: "text", required: true },
    status: { type: "string", default: "visible" },
    editedAt: { type: "date", default: null },
    removedBy: { type: "string", default: null },
    replyCount: { type: "integer", default: 0 },
  },
  indexes: [{ fields: { videoId: 1, rootId: 1, createdAt: 1 } }, { fields: { authorId: 1, createdAt: -1 } }],
});

export const VIDEOS_DB: DbMixinOptions = {
  schema: "videos",
  entities: { videos, jobs, views, comments },
  primary: "videos",
  migrations: [{ name: "videos", dir: join(__dirname, "migrations") }, DURABLE_EVENTS_MIGRATIONS],
};
