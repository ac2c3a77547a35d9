import { cursorPageSchema, s, STORED_DOCUMENT_FIELDS, type PropertySchemas } from "../../../lib/http/response-schema";
import { CLIP_STATUSES, type ClipPlayback, type ClipView, type MarkerView } from "./clip.types";
import type { ClipsUserData, ExportedClip } from "./clips.contract";

/** Response bodies of /clips and marker routes, typed by the views the actions return (clips.routes.ts). */

/**
 * Fields the view and the stored record (ClipRecord, the data export) share, in the order both list them: each
 * schema spreads them where its own fields go, so the OpenAPI document keeps its property order.
 */
const CLIP_SOURCE_FIELDS: PropertySchemas<
  Pick<ClipView, "channelId" | "ownerId" | "ownerName" | "title" | "sourceKind" | "sessionId" | "videoId">
> = {
  channelId: s.string(),
  ownerId: s.string(),
  ownerName: s.string(),
  title: s.string(),
  sourceKind: s.enum(["live", "vod"] as const),
  sessionId: s.nullable(s.string()),
  videoId: s.nullable(s.string()),
};

export const CLIP = s.named(
  "Clip",
  s.object<ClipView>()({
    id: s.string(),
    ...CLIP_SOURCE_FIELDS,
    startS: s.nullable(s.number()),
    durationS: s.number(),
    status: s.enum(CLIP_STATUSES),
    method: s.nullable(s.enum(["copy", "reencode"] as const)),
    viewCount: s.integer(),
    failureReason: s.nullable(s.string()),
    thumbnailUrl: s.nullable(s.string()),
    createdAt: s.dateTime(),
    finishedAt: s.nullable(s.dateTime()),
  }),
);

export const CLIP_PAGE = cursorPageSchema("Clip", CLIP);

export const CLIP_PLAYBACK = s.named(
  "ClipPlayback",
  s.object<ClipPlayback>()({
    clipId: s.string(),
    url: s.string(),
    thumbnailUrl: s.nullable(s.string()),
    expiresAt: s.dateTime(),
    viewCounted: s.boolean(),
    viewCount: s.integer(),
  }),
);

export const DELETED = s.object<{ id: string; deleted: true }>()({ id: s.string(), deleted: s.literal(true) });

export const MARKER = s.named(
  "StreamMarker",
  s.object<MarkerView>()({
    id: s.string(),
    channelId: s.string(),
    sessionId: s.string(),
    offsetS: s.number(),
    description: s.string(),
    createdBy: s.string(),
    createdAt: s.dateTime(),
  }),
);

export const MARKER_PAGE = cursorPageSchema("StreamMarker", MARKER);

/** clips' section of GET /me/export: the stored clips, field by field (no job bookkeeping, no storage keys), and the user's markers. */
export const CLIPS_USER_DATA = s.named(
  "ClipsUserData",
  s.object<ClipsUserData>()({
    clips: s.array(
      s.named(
        "ClipRecord",
        s.object<ExportedClip>()({
          ...STORED_DOCUMENT_FIELDS,
          ...CLIP_SOURCE_FIELDS,
          startS: s.nullable(s.number()),
          durationS: s.number(),
          requestedAt: s.date(),
          status: s.enum(CLIP_STATUSES),
          method: s.nullable(s.enum(["copy", "reencode"] as const)),
          sizeBytes: s.nullable(s.integer()),
          viewCount: s.integer(),
          failureReason: s.nullable(s.string()),
          finishedAt: s.nullable(s.date()),
        }),
      ),
    ),
    markers: s.array(MARKER),
  }),
);
