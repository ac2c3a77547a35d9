/**
 * videos: VOD assets from uploads and live recordings, their processing
 * jobs (durable, leased, retried), signed playback, view counts and
 * threaded comments. Domain logic lives in the neighbouring files; this
 * file wires actions, events and lifecycle.
 */
import type { Readable } from "node:stream";
import type { Service, ServiceSchema } from "moleculer";
import { DEFAULT_VIEW_WINDOW_MS } from "../../../lib/views/view-window";
import { DbMixin } from "../../../mixins/db";
import { DurableEventsMixin, durableHandler } from "../../../mixins/durable-events";
import { exportUserData, userDeletionHandlers } from "./user-data";
import type { ArenaContext } from "../../../lib/contracts";
import { USER_DATA_PARAMS, type UserDataParams } from "../../../lib/contracts/user-data";
import { clipSource, type VideoClipSource } from "./clip-source";
import { commentForReport, type ReportedComment } from "./comment-lookup";
import {
  createComment,
  deleteComment,
  editComment,
  listComments,
  type CreateCommentParams,
  type ListCommentsParams,
} from "./comment-actions";
import { playback, type PlaybackResult } from "./playback-actions";
import { intakeRecording } from "./recording-intake";
import { setUpJobs } from "./job-setup";
import { createVideosResources, tidyAtStart } from "./service-setup";
import {
  completeUpload,
  requestUploadUrl,
  retryProcessing,
  uploadSource,
  type CompleteUploadParams,
  type UploadUrlParams,
} from "./upload-actions";
import {
  createVideo,
  getManyVideos,
  getVideo,
  getVideosByIds,
  removeVideo,
  updateVideo,
  type CreateVideoParams,
  type UpdateVideoParams,
  type VideoList,
} from "./video-actions";
import { listVideos, type ListVideosParams, type VideoPage } from "./video-listing";
import type { CommentView, VideoView } from "./video.types";
import type { VideosContext, VideosSettings, VideosStores, VideosThis } from "./videos.context";
import { VIDEOS_DB } from "./videos.entities";
import "./videos.events";
import * as P from "./videos.params";
import { onEvent, type ServiceActions } from "../../../lib/contracts";
import "./videos.contract";

export type { VideosSettings, VideosThis } from "./videos.context";

/** Uploads (and verifying a direct upload) read the whole source: allow an hour. */
const UPLOAD_TIMEOUT_MS = 60 * 60_000;

const VideosService: ServiceSchema<VideosSettings> = {
  name: "videos",
  mixins: [DbMixin(VIDEOS_DB), DurableEventsMixin()],

  settings: {
    multipartThresholdBytes: 64 * 1024 * 1024,
    multipartPartBytes: 16 * 1024 * 1024,
    viewWindowMs: DEFAULT_VIEW_WINDOW_MS,
    commentRateLimit: { max: 5, windowMs: 60_000 },
    jobLeaseMs: 60_000,
    jobPollMs: 5_000,
    jobMaxAttempts: 3,
    jobRetryBaseMs: 10_000,
    processJobs: true,
  },

  actions: {
    /** Creates a video (metadata only) on the caller's channel; the source is uploaded next. */
    create: {
      params: P.CREATE_VIDEO,
      handler(this: VideosThis, ctx: VideosContext<CreateVideoParams>): Promise<VideoView> {
        return createVideo(this, ctx);
      },
    },

    /** A video anyone allowed may see (private, unlisted and unfinished rules applied). */
    get: {
      params: P.BY_ID,
      handler(this: VideosThis, ctx: VideosContext<{ id: string }>): Promise<VideoView> {
        return getVideo(this, ctx);
      },
    },

    /** Batch read for other services; videos the caller may not see are left out. */
    getMany: {
      params: P.BY_IDS,
      handler(this: VideosThis, ctx: VideosContext<{ ids: string[] }>): Promise<VideoView[]> {
        return getManyVideos(this, ctx);
      },
    },

    /** The caller's own videos by id in one call (GET /me/videos?ids=); other ids are left out, unsaid. */
    getByIds: {
      params: P.ID_LIST,
      handler(this: VideosThis, ctx: VideosContext<{ ids: string }>): Promise<VideoList> {
        return getVideosByIds(this, ctx);
      },
    },

    /** Cursor pages, per channel or across, with category/tag filters; owners also see their unpublished ones. */
    list: {
      params: P.LIST_VIDEOS,
      handler(this: VideosThis, ctx: VideosContext<ListVideosParams>): Promise<VideoPage> {
        return listVideos(this, ctx);
      },
    },

    /** Owner edits title, description, category, tags, visibility. */
    update: {
      params: P.UPDATE_VIDEO,
      handler(this: VideosThis, ctx: VideosContext<UpdateVideoParams>): Promise<VideoView> {
        return updateVideo(this, ctx);
      },
    },

    /** Owner deletes the video, its comments, views and every stored object. */
    remove: {
      params: P.BY_ID,
      handler(this: VideosThis, ctx: VideosContext<{ id: string }>): Promise<{ id: string; deleted: true }> {
        return removeVideo(this, ctx);
      },
    },

    /**
     * Embedded-mode upload: the request body (raw video or multipart) is the
     * stream; the id comes from the route (ctx.meta.$params). Validated by
     * upload-receiver (type, size, sniffing, ffprobe) since the body is not an object.
     */
    upload: {
      // A large source over a slow link takes far longer than REQUEST_TIMEOUT_MS.
      timeout: UPLOAD_TIMEOUT_MS,
      handler(this: VideosThis, ctx: VideosContext<Readable>): Promise<VideoView> {
        return uploadSource(this, ctx);
      },
    },

    /** Production upload, step 1: a presigned S3 PUT URL. */
    uploadUrl: {
      params: P.UPLOAD_URL,
      handler(this: VideosThis, ctx: VideosContext<UploadUrlParams>) {
        return requestUploadUrl(this, ctx);
      },
    },

    /** Production upload, step 2: verify the uploaded object and queue processing. */
    completeUpload: {
      params: P.COMPLETE_UPLOAD,
      timeout: UPLOAD_TIMEOUT_MS,
      handler(this: VideosThis, ctx: VideosContext<CompleteUploadParams>): Promise<VideoView> {
        return completeUpload(this, ctx);
      },
    },

    /** Owner re-queues a failed video. */
    retry: {
      params: P.BY_ID,
      handler(this: VideosThis, ctx: VideosContext<{ id: string }>): Promise<VideoView> {
        return retryProcessing(this, ctx);
      },
    },

    /** Signed, expiring HLS URL (and thumbnail); counts a view once per viewer per window. */
    playback: {
      params: P.BY_ID,
      handler(this: VideosThis, ctx: VideosContext<{ id: string }>): Promise<PlaybackResult> {
        return playback(this, ctx);
      },
    },

    /** A comment or a reply (sanitized, blocked terms of the channel's chat, rate limited). */
    createComment: {
      params: P.CREATE_COMMENT,
      handler(this: VideosThis, ctx: VideosContext<CreateCommentParams>): Promise<CommentView> {
        return createComment(this, ctx);
      },
    },

    /** Top-level comments, or one thread's replies. */
    listComments: {
      params: P.LIST_COMMENTS,
      handler(this: VideosThis, ctx: VideosContext<ListCommentsParams>) {
        return listComments(this, ctx);
      },
    },

    /** The author edits their comment. */
    editComment: {
      params: P.EDIT_COMMENT,
      handler(
        this: VideosThis,
        ctx: VideosContext<{ videoId: string; id: string; body: string }>,
      ): Promise<CommentView> {
        return editComment(this, ctx);
      },
    },

    /** The author deletes, or the channel owner/moderators/admins remove, a comment. */
    deleteComment: {
      params: P.COMMENT_REF,
      handler(this: VideosThis, ctx: VideosContext<{ videoId: string; id: string }>): Promise<CommentView> {
        return deleteComment(this, ctx);
      },
    },

    /** Internal: what videos holds of a user, for GET /me/export (the user or an admin). */
    exportUserData: {
      visibility: "public" as const,
      params: USER_DATA_PARAMS,
      handler(this: VideosThis, ctx: ArenaContext<UserDataParams>) {
        return exportUserData(this, ctx);
      },
    },

    /** Internal (clips): the kept source of a ready video the caller may watch. */
    clipSource: {
      visibility: "public" as const,
      params: P.BY_ID,
      handler(this: VideosThis, ctx: VideosContext<{ id: string }>): Promise<VideoClipSource> {
        return clipSource(this, ctx);
      },
    },

    /** Internal (moderation): a comment of a video the caller may see, for a report. */
    commentForReport: {
      visibility: "public" as const,
      params: P.COMMENT_REF,
      handler(this: VideosThis, ctx: VideosContext<{ videoId: string; id: string }>): Promise<ReportedComment> {
        return commentForReport(this, ctx);
      },
    },
  } satisfies ServiceActions<"videos", VideosThis>,

  events: {
    /** Another node queued a job: an idle worker here may take it now rather than at the next poll. */
    ...onEvent("videos.job.queued", function (this: VideosThis) {
      this.jobRunner?.kick();
    }),
  },

  channels: {
    ...userDeletionHandlers,
    ...durableHandler("video.source.ready", {
      group: "videos",
      async handler(this: Service, envelope) {
        await intakeRecording(this as unknown as VideosThis, envelope);
      },
    }),
  },

  created(this: Service<VideosSettings>) {
    createVideosResources(this as VideosThis);
  },

  async started(this: Service<VideosSettings>) {
    const svc = this as VideosThis;
    // DbMixin types its stores generically; these are the documents of VIDEOS_DB.
    const stores = svc.stores as unknown as VideosStores;
    setUpJobs(svc, stores.jobs);
    await tidyAtStart(svc, stores.videos);
    // Jobs left running by a node that died are picked up here once their lease expires.
    if (svc.settings.processJobs) svc.jobRunner.start();
  },

  async stopped(this: Service<VideosSettings>) {
    const svc = this as VideosThis;
    await svc.jobRunner?.stop();
    await svc.commentLimits?.close();
  },
};

export default VideosService;
