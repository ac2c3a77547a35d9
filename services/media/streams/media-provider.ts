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
  /** Session id the provider already used for storage paths (aws); local lets the service choose. */
  sessionId?: string;
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
  /** The packager died under a live broadcaster (who is dropped and reconnects): counted in metrics. */
  packagerFailed?(event: { sessionId: string; exitCode: number | null }): void;
}

export interface RecordingHandover {
  /** Relative to the media root, e.g. "recordings/<sessionId>/source.mp4". */
  storageKey: string;
  /** null when the provider cannot measure it; the session's own duration is used then. */
  durationS: number | null;
}

export interface IngestEndpoint {
  /** Encoder "server" field: rtmp://host:port/live */
  url: string;
  /** Encoder "stream key" field; null means the channel's own stream key (local ingest checks it). */
  streamName: string | null;
}

/**
 * CloudFront signed cookies covering a session's folder: HLS players resolve
 * variant playlists and segments relative to the master URL and drop its
 * query string, so the signed URL alone only opens the master playlist.
 * The player (or the web front on the same parent domain) sends these
 * cookies with every request under `domain` + `path`.
 */
export interface PlaybackCookies {
  domain: string;
  /** The session's rendition prefix, e.g. "/live/<sessionId>/". */
  path: string;
  /** Same expiry as the signed URL. */
  expiresAt: string;
  /** Cookie name → value (CloudFront-Policy, CloudFront-Signature, CloudFront-Key-Pair-Id). */
  values: Record<string, string>;
}

export interface MediaProvider {
  readonly kind: "local" | "aws";
  start(callbacks: ProviderCallbacks): Promise<void>;
  stop(): Promise<void>;
  /** Where the channel's broadcaster pushes (aws provisions MediaLive resources here). */
  ingestEndpoint(authorization: IngestAuthorization): Promise<IngestEndpoint>;
  /** A signed, expiring playback URL of a session's master playlist. */
  playbackUrl(sessionId: string, nowS?: number): string;
  /** Signed cookies for the same grant, where the provider needs them (null: the URL is enough). */
  playbackCookies(sessionId: string, nowS?: number): PlaybackCookies | null;
  /**
   * Called once when a session ends (grace period over): stops packaging for
   * good and returns the recording, or null when nothing was recorded.
   */
  endSession(sessionId: string): Promise<RecordingHandover | null>;
  /**
   * Storage keys of the session's recording as written so far, in order
   * (clips of a live stream are cut from it). Absent, or empty, where the
   * provider keeps no recording this node's storage can read while live.
   */
  recordingParts?(sessionId: string): string[];
  /** Disconnects the session's broadcaster if this node holds it (rotated key, owner ended the stream). */
  dropPublisher(sessionId: string): void;
}
