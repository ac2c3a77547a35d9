import type { CreateChannelRequest, EncoderSettings, OutputGroup } from "@aws-sdk/client-medialive";
import { scaledWidth, type Rendition } from "../../../lib/media/hls-ladder";

/**
 * The MediaLive channel for one live session, as plain data: the same ladder
 * as the local pipeline, an HLS output group to S3 under
 * `live/<sessionId>/` (served by CloudFront) and a second, source-quality
 * HLS group under `recordings/<sessionId>/` that becomes the VOD source.
 */
export interface ChannelSpecInput {
  sessionId: string;
  /** Arena channel and owner, kept as tags so a restarted node can adopt the MediaLive channel. */
  channelId: string;
  ownerId: string;
  inputId: string;
  bucket: string;
  roleArn: string;
  ladder: readonly Rendition[];
  segmentSeconds: number;
}

export const TAG_SESSION = "arena:session";
export const TAG_CHANNEL = "arena:channel";
export const TAG_OWNER = "arena:owner";
export const LIVE_DESTINATION = "live";
export const RECORDING_DESTINATION = "recording";
const SOURCE_RECORDING_KBPS = 6000;

function h264(name: string, height: number, kbps: number, segmentSeconds: number) {
  return {
    Name: name,
    Width: scaledWidth(16, 9, height),
    Height: height,
    RespondToAfd: "NONE" as const,
    ScalingBehavior: "DEFAULT" as const,
    Sharpness: 50,
    CodecSettings: {
      H264Settings: {
        Bitrate: kbps * 1000,
        RateControlMode: "CBR" as const,
        GopSize: segmentSeconds,
        GopSizeUnits: "SECONDS" as const,
        Profile: "MAIN" as const,
        FramerateControl: "INITIALIZE_FROM_SOURCE" as const,
        ParControl: "INITIALIZE_FROM_SOURCE" as const,
      },
    },
  };
}

function aac(name: string, kbps: number) {
  return {
    Name: name,
    AudioSelectorName: "default",
    CodecSettings: { AacSettings: { Bitrate: kbps * 1000, CodingMode: "CODING_MODE_2_0" as const, SampleRate: 48000 } },
  };
}

function hlsGroup(
  name: string,
  destination: string,
  segmentSeconds: number,
  outputs: { nameModifier: string; video: string; audio: string }[],
): OutputGroup {
  return {
    Name: name,
    OutputGroupSettings: {
      HlsGroupSettings: {
        Destination: { DestinationRefId: destination },
        SegmentLength: segmentSeconds,
        // Live: a sliding window; the recording group keeps every segment.
        HlsCdnSettings: { HlsS3Settings: {} },
        ManifestDurationFormat: "INTEGER",
        DirectoryStructure: "SINGLE_DIRECTORY",
      },
    },
    Outputs: outputs.map((o) => ({
      OutputName: `${name}-${o.nameModifier}`,
      VideoDescriptionName: o.video,
      AudioDescriptionNames: [o.audio],
      OutputSettings: {
        HlsOutputSettings: {
          NameModifier: `_${o.nameModifier}`,
          HlsSettings: { StandardHlsSettings: { M3u8Settings: {} } },
        },
      },
    })),
  };
}

export function buildChannelRequest(input: ChannelSpecInput): CreateChannelRequest {
  const videos = input.ladder.map((r) => h264(`video_${r.name}`, r.height, r.videoKbps, input.segmentSeconds));
  const audios = input.ladder.map((r) => aac(`audio_${r.name}`, r.audioKbps));
  videos.push(h264("video_source", 1080, SOURCE_RECORDING_KBPS, input.segmentSeconds));
  audios.push(aac("audio_source", 160));
  const encoder: EncoderSettings = {
    TimecodeConfig: { Source: "EMBEDDED" },
    VideoDescriptions: videos,
    AudioDescriptions: audios,
    OutputGroups: [
      hlsGroup(
        "live",
        LIVE_DESTINATION,
        input.segmentSeconds,
        input.ladder.map((r) => ({ nameModifier: r.name, video: `video_${r.name}`, audio: `audio_${r.name}` })),
      ),
      hlsGroup("recording", RECORDING_DESTINATION, 6, [
        { nameModifier: "source", video: "video_source", audio: "audio_source" },
      ]),
    ],
  };
  return {
    Name: `arena-${input.sessionId}`,
    ChannelClass: "SINGLE_PIPELINE",
    RoleArn: input.roleArn,
    InputSpecification: { Codec: "AVC", Resolution: "HD", MaximumBitrate: "MAX_10_MBPS" },
    InputAttachments: [{ InputId: input.inputId, InputAttachmentName: `arena-${input.sessionId}` }],
    Destinations: [
      { Id: LIVE_DESTINATION, Settings: [{ Url: `s3ssl://${input.bucket}/live/${input.sessionId}/master` }] },
      {
        Id: RECORDING_DESTINATION,
        Settings: [{ Url: `s3ssl://${input.bucket}/recordings/${input.sessionId}/source` }],
      },
    ],
    EncoderSettings: encoder,
    Tags: { [TAG_SESSION]: input.sessionId, [TAG_CHANNEL]: input.channelId, [TAG_OWNER]: input.ownerId },
  };
}
