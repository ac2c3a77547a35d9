/**
 * Durable events the streams service publishes. Channels consumes
 * stream.started/stream.ended for live status; notifications treat
 * stream.started as the followers' "went live" notification; videos turns
 * video.source.ready into a VOD.
 */
export interface StreamStarted {
  sessionId: string;
  channelId: string;
  ownerId: string;
  title: string;
  category: string | null;
  language: string;
  startedAt: string;
}

export interface StreamUpdated {
  sessionId: string;
  channelId: string;
  title: string;
  category: string | null;
}

export interface StreamEnded {
  sessionId: string;
  channelId: string;
  ownerId: string;
  endedAt: string;
  durationS: number;
  peakViewers: number;
}

export interface VideoSourceReady {
  /** Unique per recording; the VOD service dedupes on it. */
  sourceId: string;
  channelId: string;
  ownerId: string;
  sessionId: string;
  title: string;
  category: string | null;
  /** Relative to the media root, e.g. "recordings/<sessionId>/source.mp4". */
  storageKey: string;
  durationS: number;
}

/**
 * Ordering key of stream.started / updated / ended: the channel. Consumers
 * order a channel's live-status events against each other by it.
 */
export function channelStreamKey(channelId: string): string {
  return `channel:${channelId}`;
}

declare module "../../../mixins/durable-events/catalog" {
  interface DurableEventMap {
    "stream.started": StreamStarted;
    "stream.updated": StreamUpdated;
    "stream.ended": StreamEnded;
    "video.source.ready": VideoSourceReady;
  }
}

/** Between streams nodes: end a session whose broadcaster another node's ingest holds. */
export interface SessionEndRequested {
  sessionId: string;
}

declare module "../../../lib/contracts/events" {
  interface PlainEventMap {
    "streams.session.endRequested": SessionEndRequested;
  }
}
