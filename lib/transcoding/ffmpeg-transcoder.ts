import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { join } from "node:path";
import type { Rendition } from "../media/hls-ladder";
import type { ObjectStorage } from "../storage";
import { hlsLadderArgs, planRenditions, thumbnailArgs } from "./ffmpeg-args";
import { ffprobePathFor, lastLine, probeMedia, run, type MediaProbe } from "./probe";
import {
  TranscodeError,
  type TranscodeHooks,
  type TranscodeRequest,
  type TranscodeResult,
  type Transcoder,
} from "./transcoder";

export interface FfmpegTranscoderOptions {
  storage: ObjectStorage;
  ffmpegPath: string;
  ladder: readonly Rendition[];
  /** Scratch space; each job gets its own folder, removed afterwards. */
  workDir: string;
  /** Kills a stuck ffmpeg; the job is retried. */
  timeoutMs?: number;
  preset?: string;
  thumbnailHeight?: number;
}

/**
 * Local transcoding: fetch the source to scratch, probe, encode the ladder in
 * one ffmpeg run, grab a thumbnail, then publish the whole output tree to
 * storage. Outputs are published only after ffmpeg succeeded, and any
 * leftovers from an earlier interrupted attempt are removed first, so a
 * retried job never mixes segments of two runs.
 */
export class FfmpegTranscoder implements Transcoder {
  readonly kind = "ffmpeg" as const;

  constructor(private readonly options: FfmpegTranscoderOptions) {}

  async transcode(request: TranscodeRequest, hooks: TranscodeHooks = {}): Promise<TranscodeResult> {
    const { storage, ffmpegPath } = this.options;
    await mkdir(this.options.workDir, { recursive: true });
    const work = await mkdtemp(join(this.options.workDir, `${request.videoId}-`));
    try {
      const input = join(work, "source");
      await storage.getToFile(request.sourceKey, input);
      let probe: MediaProbe;
      try {
        probe = await probeMedia(input, ffprobePathFor(ffmpegPath));
      } catch (err) {
        throw new TranscodeError(`The source is not a readable video (${(err as Error).message})`, true);
      }
      if (!probe.hasVideo) throw new TranscodeError("The source has no video stream", true);

      const renditions = planRenditions(this.options.ladder, probe);
      const outputDir = join(work, "out");
      const args = hlsLadderArgs({
        input,
        outputDir,
        renditions,
        hasAudio: probe.hasAudio,
        fps: probe.fps,
        preset: this.options.preset,
      });
      await this.ffmpeg(args, hooks.signal, "encoding the HLS ladder");
      const thumbnail = join(outputDir, "thumbnail.jpg");
      const atS = Math.min(1, probe.durationS / 2);
      await this.ffmpeg(
        thumbnailArgs({ input, output: thumbnail, atS, height: this.options.thumbnailHeight ?? 180 }),
        hooks.signal,
        "taking a thumbnail",
      );

      await storage.deletePrefix(request.outputPrefix);
      await storage.putDirectory(request.outputPrefix, outputDir);
      return {
        durationS: probe.durationS,
        width: probe.width,
        height: probe.height,
        masterPlaylistKey: `${request.outputPrefix}master.m3u8`,
        renditions: renditions.map((r) => ({
          name: r.name,
          width: r.width,
          height: r.height,
          bandwidth: r.bandwidth,
          playlistKey: `${request.outputPrefix}${r.name}/index.m3u8`,
        })),
        thumbnailKeys: [`${request.outputPrefix}thumbnail.jpg`],
      };
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  private async ffmpeg(args: string[], signal: AbortSignal | undefined, what: string): Promise<void> {
    if (signal?.aborted) throw new TranscodeError(`Interrupted before ${what}`, false);
    const { code, stderr } = await run(this.options.ffmpegPath, args, this.options.timeoutMs ?? 30 * 60_000, signal);
    if (signal?.aborted) throw new TranscodeError(`Interrupted while ${what}`, false);
    if (code !== 0)
      throw new TranscodeError(`ffmpeg failed while ${what}: ${lastLine(stderr) || `exit ${code}`}`, false);
  }
}
