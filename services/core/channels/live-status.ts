/**
 * Live status follows the streams service's durable events. The payloads are
 * the streams engineer's contract (services/media/streams/streams.events.ts);
 * only the fields channels needs are read here, so this file compiles
 * whichever way that catalog entry types the rest.
 */
export interface StreamStartedFields {
  sessionId: string;
  channelId: string;
  startedAt: string;
}

export interface StreamEndedFields {
  sessionId: string;
  channelId: string;
}

export interface LivePatch {
  isLive: boolean;
  liveSessionId: string | null;
  liveSince: Date | null;
}

export function liveOnStart(event: StreamStartedFields): LivePatch {
  return { isLive: true, liveSessionId: event.sessionId, liveSince: new Date(event.startedAt) };
}

/**
 * An end only clears the session it ends: with at-least-once delivery a late
 * `stream.ended` of an earlier session must not take a newer one offline.
 */
export function liveOnEnd(current: { liveSessionId: string | null }, event: StreamEndedFields): LivePatch | undefined {
  if (current.liveSessionId !== null && current.liveSessionId !== event.sessionId) return undefined;
  return { isLive: false, liveSessionId: null, liveSince: null };
}
