import { CreateJobCommand, GetJobCommand, MediaConvertClient, type Job } from "@aws-sdk/client-mediaconvert";
import { setTimeout as delay } from "node:timers/promises";
import type { Rendition } from "../media/hls-ladder";
import { buildMediaConvertJob, expectedBandwidth } from "./mediaconvert-job";
import {
  TranscodeError,
  type TranscodeHooks,
  type TranscodeRequest,
  type TranscodeResult,
  type Transcoder,
} from "./transcoder";

export interface MediaConvertTranscoderOptions {
  bucket: string;
  roleArn: string;
  region: string;
  /** Account endpoint (older accounts) or a local stand-in in tests. */
  endpoint?: string;
  queueArn?: string;
  ladder: readonly Rendition[];
  pollIntervalMs?: number;
  /** Gives up following a job after this long (the job is retried). */
  timeoutMs?: number;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

/**
 * AWS MediaConvert: submit, store the job id through `onSubmitted` before
 * anything else can fail, then poll GetJob until it finishes. After a
 * restart the caller passes the stored id as `resumeJobRef` and we only poll,
 * so a node dying mid-job never pays for the same job twice.
 */
export class MediaConvertTranscoder implements Transcoder {
  readonly kind = "mediaconvert" as const;
  readonly client: MediaConvertClient;

  constructor(private readonly options: MediaConvertTranscoderOptions) {
    this.client = new MediaConvertClient({
      region: options.region,
      endpoint: options.endpoint,
      credentials: options.credentials,
    });
  }

  async transcode(request: TranscodeRequest, hooks: TranscodeHooks = {}): Promise<TranscodeResult> {
    let jobId = request.resumeJobRef;
    if (!jobId) {
      const input = buildMediaConvertJob({
        ...this.options,
        sourceKey: request.sourceKey,
        outputPrefix: request.outputPrefix,
        videoId: request.videoId,
      });
      const created = await this.client.send(new CreateJobCommand(input), { abortSignal: hooks.signal });
      jobId = created.Job?.Id;
      if (!jobId) throw new TranscodeError("MediaConvert accepted the job but returned no id", false);
      await hooks.onSubmitted?.(jobId);
    }
    const deadline = Date.now() + (this.options.timeoutMs ?? 6 * 3600_000);
    for (;;) {
      if (hooks.signal?.aborted) throw new TranscodeError("Interrupted while waiting for MediaConvert", false);
      const { Job: job } = await this.client.send(new GetJobCommand({ Id: jobId }), { abortSignal: hooks.signal });
      switch (job?.Status) {
        case "COMPLETE":
          return this.result(request, job);
        case "ERROR":
          // MediaConvert errors are about the input or settings: retrying the same job would fail the same way.
          throw new TranscodeError(
            `MediaConvert job ${jobId} failed: ${job.ErrorMessage ?? `error ${job.ErrorCode ?? "unknown"}`}`,
            true,
          );
        case "CANCELED":
          throw new TranscodeError(`MediaConvert job ${jobId} was canceled`, true);
      }
      if (Date.now() > deadline) throw new TranscodeError(`MediaConvert job ${jobId} did not finish in time`, false);
      await delay(this.options.pollIntervalMs ?? 5000, undefined, { signal: hooks.signal }).catch(() => undefined);
    }
  }

  private result(request: TranscodeRequest, job: Job): TranscodeResult {
    const details = (job.OutputGroupDetails ?? []).flatMap((g) => g.OutputDetails ?? []);
    const durationMs = Math.max(0, ...details.map((d) => d.DurationInMs ?? 0));
    const sized = details.filter((d) => d.VideoDetails?.HeightInPx);
    const largest = sized.sort((a, b) => (b.VideoDetails?.HeightInPx ?? 0) - (a.VideoDetails?.HeightInPx ?? 0))[0]
      ?.VideoDetails;
    const ladder = [...this.options.ladder].sort((a, b) => b.height - a.height);
    return {
      durationS: durationMs / 1000,
      width: largest?.WidthInPx ?? 0,
      height: largest?.HeightInPx ?? 0,
      masterPlaylistKey: `${request.outputPrefix}master.m3u8`,
      renditions: ladder.map((r) => {
        const out = sized.find((d) => d.VideoDetails?.HeightInPx === r.height)?.VideoDetails;
        return {
          name: r.name,
          width: out?.WidthInPx ?? 0,
          height: r.height,
          bandwidth: expectedBandwidth(r),
          playlistKey: `${request.outputPrefix}master_${r.name}.m3u8`,
        };
      }),
      thumbnailKeys: [`${request.outputPrefix}thumbnail.0000000.jpg`],
    };
  }
}
