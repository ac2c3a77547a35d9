import { join } from "node:path";
import type { ArenaConfig } from "../config";
import { DEFAULT_LADDER, type Rendition } from "../media/hls-ladder";
import type { ObjectStorage } from "../storage";
import { S3Storage } from "../storage";
import { FfmpegTranscoder } from "./ffmpeg-transcoder";
import { MediaConvertTranscoder } from "./mediaconvert-transcoder";
import type { Transcoder } from "./transcoder";

export {
  TranscodeError,
  type Transcoder,
  type TranscodeRequest,
  type TranscodeResult,
  type TranscodeHooks,
  type RenditionOutput,
} from "./transcoder";
export { FfmpegTranscoder } from "./ffmpeg-transcoder";
export { MediaConvertTranscoder } from "./mediaconvert-transcoder";
export { probeMedia, ffprobePathFor, type MediaProbe } from "./probe";

export interface TranscoderChoice {
  ladder?: readonly Rendition[];
  /** x264 preset for local encodes (tests use ultrafast). */
  ffmpegPreset?: string;
  /** MediaConvert needs an IAM role it assumes to read and write the bucket. */
  mediaConvert?: { roleArn?: string; endpoint?: string; queueArn?: string; pollIntervalMs?: number };
}

/**
 * ffmpeg on this node when MEDIA_PROVIDER=local, MediaConvert when aws.
 * MediaConvert reads and writes S3 directly, so it only works with the s3
 * storage driver: that mismatch fails at boot.
 */
export function createTranscoder(
  config: ArenaConfig,
  storage: ObjectStorage,
  choice: TranscoderChoice = {},
): Transcoder {
  const ladder = choice.ladder ?? DEFAULT_LADDER;
  const provider: string = config.media.provider;
  switch (provider) {
    case "local":
      return new FfmpegTranscoder({
        storage,
        ffmpegPath: config.media.ffmpegPath,
        ladder,
        workDir: join(config.dataDir, "transcode-work"),
        preset: choice.ffmpegPreset,
      });
    case "aws": {
      if (!(storage instanceof S3Storage))
        throw new Error("MEDIA_PROVIDER=aws transcodes with MediaConvert, which needs STORAGE_DRIVER=s3");
      const roleArn = choice.mediaConvert?.roleArn ?? config.media.vod.mediaConvertRoleArn;
      if (!roleArn) throw new Error("MediaConvert needs an IAM role ARN (MEDIACONVERT_ROLE_ARN)");
      return new MediaConvertTranscoder({
        bucket: storage.bucket,
        roleArn,
        region: config.media.awsRegion ?? "us-east-1",
        endpoint: choice.mediaConvert?.endpoint ?? config.media.vod.mediaConvertEndpoint,
        queueArn: choice.mediaConvert?.queueArn,
        pollIntervalMs: choice.mediaConvert?.pollIntervalMs,
        ladder,
      });
    }
    default:
      throw new Error(`Unknown media provider ${JSON.stringify(provider)} (expected local or aws)`);
  }
}
