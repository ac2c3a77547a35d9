import type { CreateJobRequest, OutputGroup } from "@aws-sdk/client-mediaconvert";
import type { Rendition } from "../media/hls-ladder";
import { variantBandwidth } from "../media/hls-ladder";

/**
 * The MediaConvert job for one video: an HLS group with one output per
 * ladder rung (same names and bitrates as the ffmpeg driver, so players see
 * the same ladder) and a frame-capture group for the thumbnail. MediaConvert
 * names files after the destination base: `<prefix>master.m3u8`,
 * `<prefix>master_<name>.m3u8`, `<prefix>thumbnail.0000000.jpg`.
 */
export function buildMediaConvertJob(opts: {
  bucket: string;
  sourceKey: string;
  outputPrefix: string;
  roleArn: string;
  queueArn?: string;
  ladder: readonly Rendition[];
  videoId: string;
}): CreateJobRequest {
  const destination = `s3://${opts.bucket}/${opts.outputPrefix}`;
  const hls: OutputGroup = {
    Name: "HLS",
    OutputGroupSettings: {
      Type: "HLS_GROUP_SETTINGS",
      HlsGroupSettings: {
        Destination: `${destination}master`,
        SegmentLength: 2,
        MinSegmentLength: 0,
        ManifestDurationFormat: "INTEGER",
        SegmentControl: "SEGMENTED_FILES",
      },
    },
    Outputs: [...opts.ladder]
      .sort((a, b) => b.height - a.height)
      .map((r) => ({
        NameModifier: `_${r.name}`,
        ContainerSettings: { Container: "M3U8" },
        VideoDescription: {
          Height: r.height,
          ScalingBehavior: "DEFAULT",
          CodecSettings: {
            Codec: "H_264",
            H264Settings: {
              RateControlMode: "QVBR",
              MaxBitrate: r.videoKbps * 1000,
              GopSize: 2,
              GopSizeUnits: "SECONDS",
              SceneChangeDetect: "DISABLED",
            },
          },
        },
        AudioDescriptions: [
          {
            AudioSourceName: "Audio Selector 1",
            CodecSettings: {
              Codec: "AAC",
              AacSettings: { Bitrate: r.audioKbps * 1000, CodingMode: "CODING_MODE_2_0", SampleRate: 48000 },
            },
          },
        ],
        OutputSettings: { HlsSettings: {} },
      })),
  };
  const thumbnails: OutputGroup = {
    Name: "Thumbnails",
    OutputGroupSettings: { Type: "FILE_GROUP_SETTINGS", FileGroupSettings: { Destination: `${destination}thumbnail` } },
    Outputs: [
      {
        ContainerSettings: { Container: "RAW" },
        VideoDescription: {
          Height: 180,
          CodecSettings: {
            Codec: "FRAME_CAPTURE",
            FrameCaptureSettings: { FramerateNumerator: 1, FramerateDenominator: 1, MaxCaptures: 1, Quality: 80 },
          },
        },
      },
    ],
  };
  return {
    Role: opts.roleArn,
    Queue: opts.queueArn,
    UserMetadata: { videoId: opts.videoId },
    Settings: {
      Inputs: [
        {
          FileInput: `s3://${opts.bucket}/${opts.sourceKey}`,
          AudioSelectors: { "Audio Selector 1": { DefaultSelection: "DEFAULT" } },
          VideoSelector: {},
          TimecodeSource: "ZEROBASED",
        },
      ],
      OutputGroups: [hls, thumbnails],
    },
  };
}

/** Bandwidth MediaConvert will announce is not known up front; use the ladder's. */
export function expectedBandwidth(rendition: Rendition): number {
  return variantBandwidth(rendition);
}
