import type { IngestHealthSample } from "../../../lib/media/ingest-health";
import { cursorPageSchema, s, STORED_DOCUMENT_FIELDS } from "../../../lib/http/response-schema";
import type { PlaybackCookies } from "./media-provider";
import type { ChannelLiveStatus, PublicSession, StreamHealthView } from "./stream-sessions";
import type { ExportedStreamSession, IngestInfo, StreamsUserData } from "./streams.contract";

/** Response bodies of /streams routes, typed by the actions' results (streams.routes.ts). */
const STATUS = s.enum(["live", "reconnecting", "ended"] as const);

export const LIVE_SESSION = s.named(
  "LiveSession",
  s.object<PublicSession>()({
    id: s.string(),
    channelId: s.string(),
    status: STATUS,
    title: s.string(),
    category: s.nullable(s.string()),
    language: s.string(),
    startedAt: s.dateTime(),
    viewerCount: s.integer(),
  }),
);

export const LIVE_PAGE = cursorPageSchema("LiveSession", LIVE_SESSION);

export const CHANNEL_LIVE_STATUS = s.named(
  "ChannelLiveStatus",
  s.object<ChannelLiveStatus>()({
    channelId: s.string(),
    live: s.boolean(),
    session: s.nullable(LIVE_SESSION),
    playbackUrl: s.nullable(s.string()),
    playbackCookies: s.nullable(
      s.object<PlaybackCookies>()({
        domain: s.string(),
        path: s.string(),
        expiresAt: s.dateTime(),
        values: s.record(s.string()),
      }),
    ),
  }),
);

const SAMPLE = s.object<IngestHealthSample>()({
  at: s.dateTime(),
  bitrateKbps: s.number(),
  fps: s.number(),
  keyframeIntervalS: s.number(),
  droppedFrames: s.integer(),
  width: s.integer(),
  height: s.integer(),
});

export const STREAM_HEALTH = s.named(
  "StreamHealth",
  s.object<StreamHealthView>()({
    sessionId: s.string(),
    channelId: s.string(),
    status: STATUS,
    latest: s.nullable(SAMPLE),
    samples: s.array(SAMPLE),
    warnings: s.array(s.string()),
  }),
);

export const INGEST = s.object<IngestInfo>()({
  url: s.string(),
  streamName: s.nullable(s.string()),
  provider: s.string(),
});

export const ENDED = s.object<{ ended: boolean }>()({ ended: s.boolean() });

/** streams' section of GET /me/export: the stored sessions of the user's channels, field by field (no bookkeeping). */
export const STREAMS_USER_DATA = s.named(
  "StreamsUserData",
  s.object<StreamsUserData>()({
    sessions: s.array(
      s.named(
        "StreamSessionRecord",
        s.object<ExportedStreamSession>()({
          ...STORED_DOCUMENT_FIELDS,
          channelId: s.string(),
          ownerId: s.string(),
          status: STATUS,
          title: s.string(),
          category: s.nullable(s.string()),
          language: s.string(),
          startedAt: s.date(),
          disconnectedAt: s.nullable(s.date()),
          endedAt: s.nullable(s.date()),
          durationS: s.nullable(s.integer()),
          viewerCount: s.integer(),
          peakViewers: s.integer(),
          lastHealth: s.nullable(SAMPLE),
        }),
      ),
    ),
  }),
);
