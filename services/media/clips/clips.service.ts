/**
 * clips: viewers clip 5–60 s of a live stream or a VOD (cut by ffmpeg in
 * background jobs: stream copy from a keyframe, or re-encoded), with views
 * and deletion by the clipper or the channel's staff; stream markers that
 * become chapters of the VOD. Domain logic lives in the neighbouring files;
 * this file wires.
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { Service, ServiceSchema } from "moleculer";
import { getConfig } from "../../../lib/config";
import { onEvent, type ArenaContext, type ServiceActions } from "../../../lib/contracts";
import { USER_DATA_PARAMS, type UserDataParams } from "../../../lib/contracts/user-data";
import { playbackSignerFor } from "../../../lib/media/playback-signer";
import { createRateLimitStore } from "../../../lib/rate-limit";
import { createObjectStorage } from "../../../lib/storage";
import { DEFAULT_VIEW_WINDOW_MS } from "../../../lib/views/view-window";
import { DbMixin } from "../../../mixins/db";
import { DurableEventsMixin } from "../../../mixins/durable-events";
import { createClip, getClip, listClips, playClip, removeClip } from "./clip-actions";
import { clipDeletionHandlers } from "./clip-deletion";
import { exportUserData } from "./user-data";
import { clipJobRunner } from "./clip-processing";
import { ClipWorker } from "./clip-worker";
import type { ClipsSettings, ClipsThis } from "./clips.context";
import { CLIPS_DB } from "./clips.entities";
import * as P from "./clips.params";
import { createMarker, listMarkers, removeMarker, videoMarkers } from "./marker-actions";
import "../streams/streams.contract";
import "../videos/videos.contract";
import "./clips.contract";
import "./clips.events";

export type { ClipsSettings, ClipsThis } from "./clips.context";

const ClipsService: ServiceSchema<ClipsSettings> = {
  name: "clips",
  mixins: [DbMixin(CLIPS_DB), DurableEventsMixin()],

  settings: {
    copyToleranceS: 1,
    reencodePreset: "veryfast",
    createRateLimit: { max: 10, windowMs: 60_000 },
    markerRateLimit: { max: 30, windowMs: 60_000 },
    viewWindowMs: DEFAULT_VIEW_WINDOW_MS,
    jobLeaseMs: 60_000,
    jobPollMs: 2_000,
    jobMaxAttempts: 3,
    workerConcurrency: 2,
    processJobs: true,
  },

  actions: {
    /** A viewer clips a live channel or a VOD; the clip is cut in the background. */
    create: {
      params: P.CREATE_CLIP,
      handler(this: ClipsThis, ctx) {
        return createClip(this, ctx);
      },
    },

    /** A clip and its status. */
    get: {
      params: P.BY_ID,
      handler(this: ClipsThis, ctx) {
        return getClip(this, ctx);
      },
    },

    /** Ready clips, newest first. */
    list: {
      params: P.LIST_CLIPS,
      handler(this: ClipsThis, ctx) {
        return listClips(this, ctx);
      },
    },

    /** Signed MP4 URL; counts a view once per viewer per window. */
    playback: {
      params: P.BY_ID,
      handler(this: ClipsThis, ctx) {
        return playClip(this, ctx);
      },
    },

    /** The clipper, the channel's owner or moderators, or an admin deletes a clip. */
    remove: {
      params: P.BY_ID,
      handler(this: ClipsThis, ctx) {
        return removeClip(this, ctx);
      },
    },

    /** Broadcaster or moderator marks the live stream now. */
    createMarker: {
      params: P.CREATE_MARKER,
      handler(this: ClipsThis, ctx) {
        return createMarker(this, ctx);
      },
    },

    /** The channel's markers (staff). */
    listMarkers: {
      params: P.LIST_MARKERS,
      handler(this: ClipsThis, ctx) {
        return listMarkers(this, ctx);
      },
    },

    /** Removes a marker (staff). */
    removeMarker: {
      params: P.MARKER_REF,
      handler(this: ClipsThis, ctx) {
        return removeMarker(this, ctx);
      },
    },

    /** A VOD's markers as chapters. */
    videoMarkers: {
      params: P.VIDEO_MARKERS,
      handler(this: ClipsThis, ctx) {
        return videoMarkers(this, ctx);
      },
    },

    /** Internal: what clips holds of a user, for GET /me/export (the user or an admin). */
    exportUserData: {
      visibility: "public" as const,
      params: USER_DATA_PARAMS,
      handler(this: ClipsThis, ctx: ArenaContext<UserDataParams>) {
        return exportUserData(this, ctx);
      },
    },
  } satisfies ServiceActions<"clips", ClipsThis>,

  events: {
    /** A clip was requested on another node: an idle worker here may take it now. */
    ...onEvent("clips.job.queued", function (this: ClipsThis) {
      this.worker?.kick();
    }),
  },

  channels: clipDeletionHandlers,

  created(this: Service<ClipsSettings>) {
    const svc = this as ClipsThis;
    const config = getConfig();
    svc.storage = createObjectStorage(config);
    svc.signer = playbackSignerFor(config);
    svc.limits = createRateLimitStore(config, `${config.namespace}:clips`);
    svc.viewerSalt = config.media.urlSecret;
    svc.workDir = join(config.dataDir, "clip-tmp");
  },

  started(this: Service<ClipsSettings>) {
    const svc = this as ClipsThis;
    const settings = svc.settings;
    svc.worker = new ClipWorker(svc.stores.clips, {
      owner: `${svc.broker.nodeID}:${randomBytes(3).toString("hex")}`,
      leaseMs: settings.jobLeaseMs,
      pollMs: settings.jobPollMs,
      maxAttempts: settings.jobMaxAttempts,
      concurrency: settings.workerConcurrency,
      run: clipJobRunner(svc, settings.ffmpegPath ?? getConfig().media.ffmpegPath),
      failed: async (clip, reason) => {
        svc.logger.warn(`Clip ${clip.id} failed: ${reason}`);
        await svc.storage.deletePrefix(`clips/${clip.id}/`).catch(() => undefined);
      },
      logger: svc.logger,
    });
    if (settings.processJobs) svc.worker.start();
  },

  async stopped(this: Service<ClipsSettings>) {
    const svc = this as ClipsThis;
    await svc.worker?.stop();
    await svc.limits?.close();
  },
};

export default ClipsService;
