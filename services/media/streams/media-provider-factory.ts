import { join } from "node:path";
import type { ArenaConfig } from "../../../lib/config";
import { parseLadder } from "../../../lib/media/hls-ladder";
import { AwsMediaProvider } from "./aws-media-provider";
import { LocalMediaProvider } from "./local-media-provider";
import type { MediaProvider } from "./media-provider";

export interface ProviderTuning {
  healthIntervalMs: number;
  segmentSeconds: number;
  playlistSize: number;
  /** aws: how often MediaLive channel states are polled. */
  awsPollIntervalMs: number;
}

/** Picks the provider from config, failing fast (at service creation) on anything unknown or malformed. */
export function createMediaProvider(
  config: ArenaConfig,
  tuning: ProviderTuning,
  log: { info(msg: string): void; warn(msg: string): void },
): MediaProvider {
  const provider: string = config.media.provider;
  switch (provider) {
    case "local":
      return new LocalMediaProvider({
        mediaRoot: join(config.dataDir, "media"),
        publicUrl: config.publicUrl,
        rtmp: config.media.rtmp,
        ffmpegPath: config.media.ffmpegPath,
        urlSecret: config.media.urlSecret,
        urlTtlS: config.media.urlTtlS,
        ladder: parseLadder(config.media.live.ladder),
        preset: config.media.live.x264Preset,
        segmentSeconds: tuning.segmentSeconds,
        playlistSize: tuning.playlistSize,
        healthIntervalMs: tuning.healthIntervalMs,
        log,
      });
    case "aws":
      return AwsMediaProvider.fromConfig(config, tuning, log);
    default:
      throw new Error(`Unknown media provider "${provider}" (MEDIA_PROVIDER must be local or aws)`);
  }
}
