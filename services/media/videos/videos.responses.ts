import { cursorPageSchema, s, STORED_DOCUMENT_FIELDS, type PropertySchemas } from "../../../lib/http/response-schema";
import { commentRecordFields, commentViewFields } from "../../../lib/comments/comment-view";
import type { PlaybackResult } from "./playback-actions";
import type { UploadGrant } from "./upload-actions";
import type { VideoList } from "./video-actions";
import { COMMENT_STATUSES, VIDEO_STATUSES, VISIBILITIES, type CommentView, type VideoView } from "./video.types";
import type { ExportedVideo, VideosUserData } from "./videos.contract";

/** Response bodies of /videos routes, typed by the views the actions return (videos.routes.ts). */
type Rendition = VideoView["renditions"][number];

/**
 * Fields the view and the stored record (VideoRecord, the data export) share, in the order both list them: each
 * schema spreads them where its own fields go, so the OpenAPI document keeps its property order.
 */
const VIDEO_ABOUT_FIELDS: PropertySchemas<
  Pick<
    VideoView,
    "channelId" | "ownerId" | "title" | "description" | "category" | "tags" | "visibility" | "status" | "origin"
  >
> = {
  channelId: s.string(),
  ownerId: s.string(),
  title: s.string(),
  description: s.string(),
  category: s.nullable(s.string()),
  tags: s.array(s.string()),
  visibility: s.enum(VISIBILITIES),
  status: s.enum(VIDEO_STATUSES),
  origin: s.enum(["upload", "recording"] as const),
};

const RENDITION_FIELDS: PropertySchemas<Rendition> = {
  name: s.string(),
  width: s.integer(),
  height: s.integer(),
  bandwidth: s.integer(),
};

export const VIDEO = s.named(
  "Video",
  s.object<VideoView>()({
    id: s.string(),
    ...VIDEO_ABOUT_FIELDS,
    liveSessionId: s.nullable(s.string()),
    durationS: s.nullable(s.number()),
    width: s.nullable(s.integer()),
    height: s.nullable(s.integer()),
    renditions: s.array(s.object<Rendition>()(RENDITION_FIELDS)),
    thumbnailUrl: s.nullable(s.string()),
    viewCount: s.integer(),
    commentCount: s.integer(),
    publishedAt: s.nullable(s.dateTime()),
    createdAt: s.dateTime(),
    updatedAt: s.dateTime(),
    failureReason: s.optional(s.nullable(s.string())),
  }),
);

/** GET /me/videos?ids=: the caller's own videos among those ids. */
export const VIDEO_LIST = s.object<VideoList>()({ items: s.array(VIDEO) });

/** GET /videos: a cursor page (docs/api.md, "Pagination"). */
export const VIDEO_PAGE = cursorPageSchema("Video", VIDEO);

export const VIDEO_DELETED = s.object<{ id: string; deleted: true }>()({ id: s.string(), deleted: s.literal(true) });

export const UPLOAD_GRANT = s.named(
  "UploadGrant",
  s.object<UploadGrant>()({
    method: s.literal("PUT"),
    headers: s.record(s.string()),
    expiresAt: s.dateTime(),
    uploadUrl: s.optional(s.string()),
    multipart: s.optional(
      s.object<NonNullable<UploadGrant["multipart"]>>()({
        uploadId: s.string(),
        partSize: s.integer(),
        parts: s.array(s.object<{ partNumber: number; url: string }>()({ partNumber: s.integer(), url: s.string() })),
      }),
    ),
  }),
);

export const VIDEO_PLAYBACK = s.named(
  "VideoPlayback",
  s.object<PlaybackResult>()({
    videoId: s.string(),
    hlsUrl: s.string(),
    thumbnailUrl: s.nullable(s.string()),
    expiresAt: s.dateTime(),
    viewCounted: s.boolean(),
    viewCount: s.integer(),
    playId: s.string(),
  }),
);

export const VIDEO_COMMENT = s.named(
  "VideoComment",
  s.object<CommentView>()({ ...commentViewFields(COMMENT_STATUSES), videoId: s.string() }),
);

export const VIDEO_COMMENT_PAGE = cursorPageSchema("VideoComment", VIDEO_COMMENT);

/** videos' section of GET /me/export: the stored videos and comments, field by field (no storage keys, no removedBy). */
export const VIDEOS_USER_DATA = s.named(
  "VideosUserData",
  s.object<VideosUserData>()({
    videos: s.array(
      s.named(
        "VideoRecord",
        s.object<ExportedVideo>()({
          ...STORED_DOCUMENT_FIELDS,
          ...VIDEO_ABOUT_FIELDS,
          liveSessionId: s.nullable(s.string()),
          sourceBytes: s.nullable(s.integer()),
          sourceType: s.nullable(s.string()),
          durationS: s.nullable(s.number()),
          width: s.nullable(s.integer()),
          height: s.nullable(s.integer()),
          renditions: s.array(s.object<Rendition>()(RENDITION_FIELDS)),
          failureReason: s.nullable(s.string()),
          viewCount: s.integer(),
          commentCount: s.integer(),
          publishedAt: s.nullable(s.date()),
        }),
      ),
    ),
    comments: s.array(
      s.named(
        "VideoCommentRecord",
        s.object<VideosUserData["comments"][number]>()({
          ...STORED_DOCUMENT_FIELDS,
          videoId: s.string(),
          channelId: s.string(),
          ...commentRecordFields(COMMENT_STATUSES),
        }),
      ),
    ),
  }),
);
