import type { IngestHealthSample } from "../../../lib/media/ingest-health";

/**
 * Where live video is ingested and packaged. The streams service owns
 * sessions and events; a provider owns the media plumbing and reports back
 * through these callbacks. One file per implementation (local, aws), chosen
 * by `getConfig().media.provider` in media-provider-factory.ts.
 */
export interface IngestAuthorization {
  channelId: string;
  ownerId: string;
}

export interface PublishStarted extends IngestAuthorization {
  /** Provider-side id of this publish (RTMP connection / MediaLive channel). */
  connectionId: string;
}

export interface SessionAssignment {
  sessionId: string;
  /** true when a reconnect within the grace period continued a session. */
  resumed: boolean;
}

export interface ProviderCallbacks {
  /** Throws (e.g. ForbiddenError) or resolves null to refuse the publish. */
  authorizeStreamKey(streamKey: string): Promise<IngestAuthorization | null>;
  /** Opens or resumes the channel's session; throwing drops the broadcaster. */
  publishStarted(event: PublishStarted): Promise<SessionAssignment>;
  /** The broadcaster went away: the session waits for the grace period. */
  publishStopped(event: { sessionId: string; connectionId: string }): void;
  healthSampled(event: { sessionId: string; sample: IngestHealthSample }): void;
}

export interface RecordingHandover {
  /** Relative to the media root, e.g. "recordings/<sessionId>/source.mp4". */
  storageKey: string;
  durationS: number;
}

export interface IngestEndpoint {
  /** Where the broadcaster pushes, without the key: rtmp://host:port/live */
  url: string;
  /** How the key is passed: as the RTMP stream name. */
  keyInStreamName: true;
}

export interface MediaProvider {
  readonly kind: "local" | "aws";
  start(callbacks: ProviderCallbacks): Promise<void>;
  stop(): Promise<void>;
  /** Where a broadcaster pushes (shown to the owner next to their key). */
  ingestEndpoint(): IngestEndpoint;
  /** A signed, expiring playback URL of a session's master playlist. */
  playbackUrl(sessionId: string, nowS?: number): string;
  /**
   * Called once when a session ends (grace period over): stops packaging for
   * good and returns the recording, or null when nothing was recorded.
   */
  endSession(sessionId: string): Promise<RecordingHandover | null>;
}
