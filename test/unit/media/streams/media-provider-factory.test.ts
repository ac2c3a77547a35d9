import type { ArenaConfig } from "../../../../lib/config";
import { AwsMediaProvider } from "../../../../services/media/streams/aws-media-provider";
import { LocalMediaProvider } from "../../../../services/media/streams/local-media-provider";
import { createMediaProvider } from "../../../../services/media/streams/media-provider-factory";
import { testConfig } from "../../../helpers/infra";

describe("media provider factory", () => {
  const tuning = { healthIntervalMs: 5000, segmentSeconds: 2, playlistSize: 10, awsPollIntervalMs: 5000 };
  const log = { info: () => undefined, warn: () => undefined };
  let config: ArenaConfig;

  beforeAll(async () => {
    config = await testConfig();
  });

  it("builds the local provider by default", () => {
    expect(createMediaProvider(config, tuning, log)).toBeInstanceOf(LocalMediaProvider);
  });

  it("fails fast on an unknown provider and on a malformed ladder", () => {
    expect(() =>
      createMediaProvider({ ...config, media: { ...config.media, provider: "wowza" as "local" } }, tuning, log),
    ).toThrow(/Unknown media provider "wowza"/);
    expect(() =>
      createMediaProvider(
        { ...config, media: { ...config.media, live: { ...config.media.live, ladder: "720:fast" } } },
        tuning,
        log,
      ),
    ).toThrow(/Bad HLS ladder entry/);
  });

  it("builds the aws provider only with everything it needs", () => {
    const aws = { ...config.media, provider: "aws" as const, awsRegion: "eu-west-1" };
    expect(() => createMediaProvider({ ...config, media: aws }, tuning, log)).toThrow(
      /S3_BUCKET, CLOUDFRONT_DOMAIN, CLOUDFRONT_KEY_PAIR_ID, CLOUDFRONT_PRIVATE_KEY, MEDIALIVE_ROLE_ARN/,
    );
    const complete = {
      ...aws,
      s3: { bucket: "b" },
      cloudfront: { domain: "d.cloudfront.net", keyPairId: "K", privateKey: "pem" },
      live: { ...aws.live, mediaLiveRoleArn: "arn:aws:iam::1:role/r" },
    };
    expect(createMediaProvider({ ...config, media: complete }, tuning, log)).toBeInstanceOf(AwsMediaProvider);
  });
});
