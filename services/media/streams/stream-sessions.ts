import type { PlaybackCookies } from "./media-provider";
import type { IngestHealthSample } from "../../../lib/media/ingest-health";
import type { HealthSampleDoc, SessionDoc, SessionStatus } from "./streams.entities";

/**
 * Live sessions as plain data: what each audience may see, and the small
 * decisions of the lifecycle. No Moleculer here.
 */
/** What anyone may see of a live session. */
export interface PublicSession {
  id: string;
  channelId: string;
  status: SessionStatus;
  title: string;
  category: string | null;
  language: string;
  startedAt: string;
  viewerCount: number;
}

export interface ChannelLiveStatus {
  channelId: string;
  live: boolean;
  session: PublicSession | null;
  /** Signed, expiring master playlist URL; null when offline. */
  playbackUrl: string | null;
  /** aws: CloudFront signed cookies for the session's rendition prefix (relative segment URIs); null otherwise. */
  playbackCookies: PlaybackCookies | null;
}

export interface StreamHealthView {
  sessionId: string;
  channelId: string;
  status: SessionStatus;
  latest: IngestHealthSample | null;
  /** Most recent first. */
  samples: IngestHealthSample[];
  /** Plain-language problems a streamer can act on. */
  warnings: string[];
}

export function toPublicSession(doc: SessionDoc): PublicSession {
  return {
    id: doc.id,
    channelId: doc.channelId,
    status: doc.status,
    title: doc.title,
    category: doc.category,
    language: doc.language,
    startedAt: new Date(doc.startedAt).toISOString(),
    viewerCount: doc.viewerCount,
  };
}

export function toHealthSample(doc: HealthSampleDoc): IngestHealthSample {
  return {
    at: new Date(doc.at).toISOString(),
    bitrateKbps: doc.bitrateKbps,
    fps: doc.fps,
    keyframeIntervalS: doc.keyframeIntervalS,
    droppedFrames: doc.droppedFrames,
    width: doc.width,
    height: doc.height,
  };
}

/** Whole seconds between go-live and end (reconnect gaps included: the session was open). */
export function sessionDurationS(startedAt: Date, endedAt: Date): number {
  return Math.max(0, Math.round((endedAt.getTime() - new Date(startedAt).getTime()) / 1000));
}

/**
 * Common encoder mistakes, in the terms OBS uses. Thresholds follow what
 * HLS packaging needs: keyframes at most every 4 s (segments cannot be
 * shorter than the GOP), a steady frame rate, no dropped frames.
 */
export function healthWarnings(sample: IngestHealthSample | null): string[] {
  if (!sample) return [];
  const warnings: string[] = [];
  if (sample.keyframeIntervalS > 4)
    warnings.push(`Keyframe interval is ${sample.keyframeIntervalS}s; set it to 2s in your encoder`);
  if (sample.fps > 0 && sample.fps < 20) warnings.push(`Frame rate is low (${sample.fps} fps)`);
  if (sample.bitrateKbps < 100)
    warnings.push(`Ingest bitrate is very low (${sample.bitrateKbps} kbit/s): check your upload`);
  if (sample.droppedFrames > 0) warnings.push(`${sample.droppedFrames} frames dropped while packaging`);
  return warnings;
}
