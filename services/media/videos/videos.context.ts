import type { Service } from "moleculer";
import type { BoundedTtlCache } from "../../../lib/cache";
import type { ArenaContext } from "../../../lib/contracts";
import type { RateLimitStore } from "../../../lib/rate-limit";
import type { ObjectStorage } from "../../../lib/storage";
import type { Transcoder, TranscoderChoice } from "../../../lib/transcoding";
import type { Rendition } from "../../../lib/media/hls-ladder";
import type { DbHandle, EntityStore } from "../../../mixins/db";
import type { DurableEventsMethods } from "../../../mixins/durable-events";
import type { CommentRateLimit } from "./comment-rules";
import type { JobQueue } from "./job-queue";
import type { JobRunner } from "./job-runner";
import type { PlaybackSigner } from "./playback";
import type { CommentDoc, VideoDoc, VideoJobDoc, VideoViewDoc } from "./video.types";

export interface VideosSettings {
  /** Largest accepted source upload, bytes (default: VOD_UPLOAD_MAX_SIZE), set at creation. */
  uploadMaxBytes?: number;
  /** Direct S3 uploads above this size use multipart (one presigned URL per part). */
  multipartThresholdBytes: number;
  /** Part size for multipart uploads (S3 needs at least 5 MiB except for the last part). */
  multipartPartBytes: number;
  /** A viewer's repeat views within this window count once. */
  viewWindowMs: number;
  commentRateLimit: CommentRateLimit;
  jobLeaseMs: number;
  jobPollMs: number;
  jobMaxAttempts: number;
  jobRetryBaseMs: number;
  /** Overrides the ladder (default: LIVE_HLS_LADDER, so live and VOD match). */
  ladder?: readonly Rendition[];
  /** x264 preset (default: LIVE_X264_PRESET). */
  ffmpegPreset?: string;
  mediaConvert?: TranscoderChoice["mediaConvert"];
  /** Set to false to run a node that serves the API but never transcodes. */
  processJobs: boolean;
}

export interface VideosStores {
  videos: EntityStore<VideoDoc>;
  jobs: EntityStore<VideoJobDoc>;
  views: EntityStore<VideoViewDoc>;
  comments: EntityStore<CommentDoc>;
}

/** `this` inside the videos service. */
export interface VideosThis extends Service<VideosSettings>, DurableEventsMethods {
  stores: VideosStores;
  db: DbHandle;
  storage: ObjectStorage;
  transcoder: Transcoder;
  jobQueue: JobQueue;
  jobRunner: JobRunner;
  playbackSigner: PlaybackSigner;
  /** Per-author comment counters (Redis when clustered). */
  commentLimits: RateLimitStore;
  /** Salt for hashing anonymous viewers' addresses. */
  viewerSalt: string;
  /** Each channel's owner as channels answered it (a channel never changes hands): video-listing.ts. */
  channelOwners: BoundedTtlCache<string, string>;
}

/** The context of a videos action (lib/contracts: the one Arena context type). */
export type VideosContext<P = unknown> = ArenaContext<P>;
