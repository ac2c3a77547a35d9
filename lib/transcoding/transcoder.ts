/**
 * Turns an uploaded source into an HLS rendition ladder plus thumbnails.
 * Two drivers: local ffmpeg (embedded) and AWS MediaConvert (production).
 * Both read the source from and write the outputs to object storage keys, so
 * the videos service never knows which one ran.
 */
export interface TranscodeRequest {
  videoId: string;
  /** Storage key of the source, relative to the media root. */
  sourceKey: string;
  /** Where outputs go, e.g. `vod/<videoId>/`; master playlist is `<prefix>master.m3u8`. */
  outputPrefix: string;
  /**
   * The external job a previous attempt submitted (MediaConvert job id).
   * Given after a restart, the driver follows that job instead of paying for
   * a second one.
   */
  resumeJobRef?: string;
}

export interface TranscodeHooks {
  signal?: AbortSignal;
  /** Called once a remote job exists, so the caller can store its id durably first. */
  onSubmitted?(jobRef: string): Promise<void>;
}

export interface RenditionOutput {
  name: string;
  width: number;
  height: number;
  /** bits/s as announced in the master playlist. */
  bandwidth: number;
  playlistKey: string;
}

export interface TranscodeResult {
  durationS: number;
  width: number;
  height: number;
  masterPlaylistKey: string;
  renditions: RenditionOutput[];
  thumbnailKeys: string[];
}

export interface Transcoder {
  readonly kind: "ffmpeg" | "mediaconvert";
  transcode(request: TranscodeRequest, hooks?: TranscodeHooks): Promise<TranscodeResult>;
}

/**
 * A failure with a reason the owner can read. `permanent` failures (the
 * source is not a video) are not retried; the others (ffmpeg killed, AWS
 * throttling) are, up to the job's attempt limit.
 */
export class TranscodeError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = "TranscodeError";
  }
}
