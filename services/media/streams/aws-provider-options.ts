/**
 * What the AWS live provider runs with, and how it is read from config: the
 * MediaLive client and role, the S3 bucket, CloudFront signing, the ladder,
 * and the poll/stop timings. Apart from the provider so a missing setting
 * fails in one readable place at service creation.
 */
import { MediaLiveClient } from "@aws-sdk/client-medialive";
import type { ArenaConfig } from "../../../lib/config";
import { parseLadder, type Rendition } from "../../../lib/media/hls-ladder";

export interface AwsProviderOptions {
  client: MediaLiveClient;
  bucket: string;
  roleArn: string;
  /** CIDRs allowed to push RTMP to MediaLive inputs. */
  inputCidrs: string[];
  cloudfront: { domain: string; keyPairId: string; privateKey: string };
  urlTtlS: number;
  ladder: readonly Rendition[];
  segmentSeconds: number;
  pollIntervalMs: number;
  /** How long endSession waits for a stopping channel before deleting it. */
  stopTimeoutMs: number;
  /** Describe interval while waiting for a stop. */
  stopPollMs: number;
  log: { info(msg: string): void; warn(msg: string): void };
}

/** The provider's options from config; fails fast, naming every missing variable, when MEDIA_PROVIDER=aws lacks one. */
export function awsProviderOptions(
  config: ArenaConfig,
  tuning: { segmentSeconds: number; awsPollIntervalMs: number },
  log: AwsProviderOptions["log"],
): AwsProviderOptions {
  const { cloudfront, s3, awsRegion } = config.media;
  const missing = [
    !s3.bucket && "S3_BUCKET",
    !cloudfront.domain && "CLOUDFRONT_DOMAIN",
    !cloudfront.keyPairId && "CLOUDFRONT_KEY_PAIR_ID",
    !cloudfront.privateKey && "CLOUDFRONT_PRIVATE_KEY",
    !config.media.live.mediaLiveRoleArn && "MEDIALIVE_ROLE_ARN",
  ].filter(Boolean);
  if (missing.length > 0) throw new Error(`MEDIA_PROVIDER=aws needs ${missing.join(", ")}`);
  return {
    // Endpoint from the SDK's own resolution: AWS_ENDPOINT_URL_MEDIALIVE overrides it (tests, VPC endpoints).
    client: new MediaLiveClient({ region: awsRegion }),
    bucket: s3.bucket as string,
    roleArn: config.media.live.mediaLiveRoleArn as string,
    inputCidrs: config.media.live.mediaLiveInputCidrs,
    cloudfront: {
      domain: cloudfront.domain as string,
      keyPairId: cloudfront.keyPairId as string,
      privateKey: cloudfront.privateKey as string,
    },
    urlTtlS: config.media.urlTtlS,
    ladder: parseLadder(config.media.live.ladder),
    segmentSeconds: tuning.segmentSeconds,
    pollIntervalMs: tuning.awsPollIntervalMs,
    stopTimeoutMs: 120_000,
    stopPollMs: tuning.awsPollIntervalMs,
    log,
  };
}
