/**
 * videos: VOD assets from uploads and live recordings, their processing
 * jobs (durable, leased, retried), signed playback, view counts and
 * threaded comments. Domain logic lives in the neighbouring files; this
 * file wires actions, events and lifecycle.
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { Readable } from "node:stream";
import type { Service, ServiceSchema } from "moleculer";
import { BoundedTtlCache } from "../../../lib/cache";
import { getConfig } from "../../../lib/config";
import { createRateLimitStore } from "../../../lib/rate-limit";
import { createObjectStorage } from "../../../lib/storage";
import { createTranscoder } from "../../../lib/transcoding";
import { parseLadder } from "../../../lib/media/hls-ladder";
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
import { JobQueue } from "./job-queue";
import { JobRunner, type JobOutcome } from "./job-runner";
import { playbackSignerFor } from "../../../lib/media/playback-signer";
import { playback, type PlaybackResult } from "./playback-actions";
import { intakeRecording } from "./recording-intake";
import {
  completeUpload,
  requestUploadUrl,
  retryProcessing,
  uploadSource,
  type CompleteUploadParams,
  type UploadUrlParams,
} from "./upload-actions";
import { parseByteSize } from "./upload-limits";
import { pruneStaleUploads } from "./upload-tmp";
import {
  createVideo,
  getManyVideos,
  getVideo,
  removeVideo,
  updateVideo,
  type CreateVideoParams,
  type UpdateVideoParams,
} from "./video-actions";
import { backfillListedAt, listVideos, type ListVideosParams, type VideoPage } from "./video-listing";
import { videoJobHandler } from "./video-processing";
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

const JOBS_METRIC = "arena.videos.jobs.total";
const JOB_SECONDS_METRIC = "arena.videos.job.seconds";

/** Job outcomes and durations on the node's Prometheus endpoint (no-ops when metrics are off). */
function jobMetrics(svc: VideosThis): (outcome: JobOutcome, ms: number) => void {
  const metrics = svc.broker.metrics;
  if (!metrics.getMetric(JOBS_METRIC)) {
    metrics.register({
      type: "counter",
      name: JOBS_METRIC,
      labelNames: ["outcome"],
      description: "Video processing job attempts by outcome",
    });
    metrics.register({
      type: "histogram",
      name: JOB_SECONDS_METRIC,
      labelNames: ["outcome"],
      buckets: [1, 5, 15, 60, 300, 900, 3600],
      description: "Video processing attempt duration (s)",
    });
  }
  return (outcome, ms) => {
    metrics.increment(JOBS_METRIC, { outcome });
    metrics.observe(JOB_SECONDS_METRIC, ms / 1000, { outcome });
  };
}

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
    const svc = this as VideosThis;
    const config = getConfig();
    // Both fail fast here, at boot, on an unknown driver or a bad combination.
    svc.storage = createObjectStorage(config);
    // VOD uses the live ladder unless told otherwise: a recording turned VOD
    // then offers the same renditions its viewers had live.
    const ladder = svc.settings.ladder ?? parseLadder(config.media.live.ladder);
    const ffmpegPreset = svc.settings.ffmpegPreset ?? config.media.live.x264Preset;
    svc.transcoder = createTranscoder(config, svc.storage, {
      ladder,
      ffmpegPreset,
      mediaConvert: svc.settings.mediaConvert,
    });
    svc.playbackSigner = playbackSignerFor(config);
    svc.viewerSalt = config.media.urlSecret;
    svc.channelOwners = new BoundedTtlCache({ maxEntries: 10_000, ttlMs: 10 * 60_000 });
    svc.commentLimits = createRateLimitStore(config, `${config.namespace}:videos`);
    // A bad VOD_UPLOAD_MAX_SIZE fails the boot here rather than the first upload.
    if (svc.settings.uploadMaxBytes === undefined)
      svc.settings.uploadMaxBytes = parseByteSize(config.media.vod.uploadMaxSize);
  },

  async started(this: Service<VideosSettings>) {
    const svc = this as VideosThis;
    // DbMixin types its stores generically; these are the documents of VIDEOS_DB.
    const stores = svc.stores as unknown as VideosStores;
    const settings = svc.settings;
    svc.jobQueue = new JobQueue(stores.jobs, {
      owner: `${svc.broker.nodeID}:${randomBytes(3).toString("hex")}`,
      nodeId: svc.broker.nodeID,
      leaseMs: settings.jobLeaseMs,
      maxAttempts: settings.jobMaxAttempts,
      backoffMs: (attempt) => Math.min(settings.jobRetryBaseMs * 2 ** (attempt - 1), 10 * 60_000),
    });
    svc.jobRunner = new JobRunner(svc.jobQueue, videoJobHandler(svc), {
      pollMs: settings.jobPollMs,
      leaseMs: settings.jobLeaseMs,
      logger: svc.logger,
      observe: jobMetrics(svc),
    });
    // A node killed mid-upload left its temporary file; uploads in progress elsewhere are younger.
    await pruneStaleUploads(join(getConfig().dataDir, "upload-tmp")).catch((err: unknown) =>
      svc.logger.warn(`Could not prune stale upload files: ${String(err)}`),
    );
    if (getConfig().mongoUri) {
      const fixed = await backfillListedAt(stores.videos);
      if (fixed > 0) svc.logger.info(`Gave ${fixed} videos their listing time (listedAt)`);
    }
    // Jobs left running by a node that died are picked up here once their lease expires.
    if (settings.processJobs) svc.jobRunner.start();
  },

  async stopped(this: Service<VideosSettings>) {
    const svc = this as VideosThis;
    await svc.jobRunner?.stop();
    await svc.commentLimits?.close();
  },
};

export default VideosService;
