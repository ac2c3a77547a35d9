import type { Service } from "moleculer";
import type { ArenaContext } from "../../../lib/contracts";
import type { PlaybackSigner } from "../../../lib/media/playback-signer";
import type { RateLimitStore } from "../../../lib/rate-limit";
import type { ObjectStorage } from "../../../lib/storage";
import type { DbHandle, EntityStore } from "../../../mixins/db";
import type { DurableEventsMethods } from "../../../mixins/durable-events";
import type { ClipWorker } from "./clip-worker";
import type { ClipDoc, ClipViewDoc, MarkerDoc } from "./clip.types";

export interface ClipsSettings {
  /** A keyframe this close to the requested start lets the clip be a stream copy; else it is re-encoded. */
  copyToleranceS: number;
  /** x264 preset when a clip is re-encoded. */
  reencodePreset: string;
  /** Clips one user may request per window. */
  createRateLimit: { max: number; windowMs: number };
  /** Markers one user may drop per window. */
  markerRateLimit: { max: number; windowMs: number };
  /** A viewer's repeat plays within this window count once. */
  viewWindowMs: number;
  jobLeaseMs: number;
  jobPollMs: number;
  jobMaxAttempts: number;
  /** Clips cut at the same time on one node. */
  workerConcurrency: number;
  /** Set to false for a node that serves the API but never cuts clips. */
  processJobs: boolean;
  /** ffmpeg binary (default: FFMPEG_PATH). */
  ffmpegPath?: string;
}

export interface ClipsStores {
  clips: EntityStore<ClipDoc>;
  views: EntityStore<ClipViewDoc>;
  markers: EntityStore<MarkerDoc>;
}

/** `this` inside the clips service. */
export interface ClipsThis extends Service<ClipsSettings>, DurableEventsMethods {
  stores: ClipsStores;
  db: DbHandle;
  storage: ObjectStorage;
  signer: PlaybackSigner;
  limits: RateLimitStore;
  worker: ClipWorker;
  /** Salt for hashing anonymous viewers' addresses. */
  viewerSalt: string;
  /** Where ffmpeg writes before the clip goes to storage. */
  workDir: string;
}

/** The context of a clips action. */
export type ClipsContext<P = unknown> = ArenaContext<P>;
