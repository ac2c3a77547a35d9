/**
 * streams: live sessions. Go-live is driven by ingest (a publish with a
 * valid stream key opens or resumes the channel's session), the provider
 * (local RTMP + ffmpeg, or AWS MediaLive) packages the media, this service
 * keeps the session, its health and viewer peak, and publishes the durable
 * lifecycle events. Domain logic lives in the neighbouring files; this file
 * wires actions, events and lifecycle.
 */
import type { ServiceSchema } from "moleculer";
import { getConfig } from "../../../lib/config";
import { onEvent, type ServiceActions } from "../../../lib/contracts";
import { DbMixin } from "../../../mixins/db";
import { DurableEventsMixin } from "../../../mixins/durable-events";
import { endLive, ingestEndpoint, updateLive } from "./broadcast-actions";
import { meteredCallbacks } from "./live-metrics";
import { createMediaProvider } from "./media-provider-factory";
import { channelStatus, liveMany, liveNow, liveRecording, streamHealth } from "./read-actions";
import { dropLivePublisher, endRequestedSession, recordViewerSample } from "./session-events";
import { ingestCallbacks, recoverOrphanedSessions, sweepAbandonedSessions } from "./session-lifecycle";
import type { StreamsSettings, StreamsThis } from "./streams.context";
import { STREAMS_DB } from "./streams.entities";
import * as P from "./streams.params";
import { exportUserData, userDeletionHandlers } from "./user-data";
import type { ArenaContext } from "../../../lib/contracts";
import { USER_DATA_PARAMS, type UserDataParams } from "../../../lib/contracts/user-data";
import "./streams.contract";
import "./streams.events";

export type { StreamsSettings, StreamsThis } from "./streams.context";

const StreamsService: ServiceSchema<StreamsSettings, StreamsThis> = {
  name: "streams",
  mixins: [DbMixin(STREAMS_DB), DurableEventsMixin()],

  settings: {
    healthIntervalMs: 5000,
    segmentSeconds: 2,
    playlistSize: 10,
    healthSamplesShown: 60,
    healthRetentionS: 3600,
    awsPollIntervalMs: 5000,
    abandonedSweepIntervalMs: 60_000,
  },

  actions: {
    /** Live streams now: filter by category and language, most viewers (or most recent) first. */
    live: {
      params: P.LIVE,
      handler(ctx) {
        return liveNow(this, ctx);
      },
    },

    /** A channel's live status and, when live, a signed playback URL (plus CloudFront signed cookies on aws). */
    channelStatus: {
      params: P.BY_CHANNEL,
      handler(ctx) {
        return channelStatus(this, ctx);
      },
    },

    /** Batch form of channelStatus without playback URLs (for channel lists). */
    liveMany: {
      params: P.BY_CHANNELS,
      handler(ctx) {
        return liveMany(this, ctx);
      },
    },

    /** The owner's stream health: latest ingest sample, recent history and warnings. */
    health: {
      params: P.BY_CHANNEL,
      handler(ctx) {
        return streamHealth(this, ctx);
      },
    },

    /** Changes the live stream's title/category while live (owner); publishes stream.updated. */
    update: {
      params: P.UPDATE,
      handler(ctx) {
        return updateLive(this, ctx);
      },
    },

    /** Where the owner points their encoder (the stream key itself is shown once by channels). */
    ingest: {
      params: P.BY_CHANNEL,
      handler(ctx) {
        return ingestEndpoint(this, ctx);
      },
    },

    /** Ends the channel's session now (owner or admin): drops the broadcaster, skips the grace period. */
    end: {
      params: P.BY_CHANNEL,
      handler(ctx) {
        return endLive(this, ctx);
      },
    },

    /** Internal: what streams holds of a user, for GET /me/export (the user or an admin). */
    exportUserData: {
      visibility: "public" as const,
      params: USER_DATA_PARAMS,
      handler(this: StreamsThis, ctx: ArenaContext<UserDataParams>) {
        return exportUserData(this, ctx);
      },
    },

    /** Internal (clips, markers): the open session and its recording so far. */
    liveRecording: {
      visibility: "public" as const,
      params: P.BY_CHANNEL,
      handler(ctx) {
        return liveRecording(this, ctx);
      },
    },
  } satisfies ServiceActions<"streams", StreamsThis>,

  events: {
    ...onEvent(
      "stream.viewers.sampled",
      function (this: StreamsThis, sample) {
        return recordViewerSample(this, sample);
      },
      { params: P.VIEWERS_SAMPLED },
    ),
    ...onEvent(
      "streams.session.endRequested",
      function (this: StreamsThis, request) {
        return endRequestedSession(this, request.sessionId);
      },
      { params: P.END_REQUESTED },
    ),
    /** A rotated key must not keep streaming: drop the broadcaster if this node holds it. */
    ...onEvent(
      "channels.streamKey.rotated",
      function (this: StreamsThis, rotated) {
        return dropLivePublisher(this, rotated.channelId);
      },
      { params: P.BY_CHANNEL },
    ),
    /** A suspended channel stops broadcasting at once (its key is refused from now on). */
    ...onEvent(
      "channels.suspended",
      function (this: StreamsThis, suspended) {
        return dropLivePublisher(this, suspended.channelId);
      },
      { params: P.BY_CHANNEL },
    ),
  },

  channels: userDeletionHandlers,

  created(this: StreamsThis) {
    this.graceTimers = new Map();
    this.stopping = false;
    this.endingSessions = new Map();
    const log = { info: (msg: string) => this.logger.info(msg), warn: (msg: string) => this.logger.warn(msg) };
    this.provider = createMediaProvider(getConfig(), this.settings, log);
  },

  async started(this: StreamsThis) {
    this.stopping = false;
    await recoverOrphanedSessions(this);
    await this.provider.start(meteredCallbacks(this.broker, ingestCallbacks(this)));
    if (this.settings.abandonedSweepIntervalMs > 0) {
      this.abandonedSweepTimer = setInterval(() => {
        if (this.stopping) return;
        sweepAbandonedSessions(this).catch((err: unknown) =>
          this.logger.warn(`Abandoned session sweep failed: ${(err as Error).message}`),
        );
      }, this.settings.abandonedSweepIntervalMs);
      this.abandonedSweepTimer.unref();
    }
  },

  async stopped(this: StreamsThis) {
    this.stopping = true;
    if (this.abandonedSweepTimer) clearInterval(this.abandonedSweepTimer);
    for (const timer of this.graceTimers.values()) clearTimeout(timer);
    this.graceTimers.clear();
    await this.provider.stop();
    await Promise.allSettled([...this.endingSessions.values()]);
  },
};

export default StreamsService;
