/**
 * Transcoders for real: local ffmpeg into local storage, and MediaConvert
 * (local endpoint standing in for MediaConvert) recording the SDK's requests.
 */
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { TEST_LADDER } from "../../../../lib/media/hls-ladder";
import { LocalStorage, S3Storage } from "../../../../lib/storage";
import {
  FfmpegTranscoder,
  MediaConvertTranscoder,
  TranscodeError,
  createTranscoder,
  probeMedia,
} from "../../../../lib/transcoding";
import { createTempDir, testConfig, uniqueId, type TempDir } from "../../../helpers/infra";
import { makeClip } from "./helpers/clip";
import {
  startMediaConvertStandIn,
  type MediaConvertStandIn,
  type RecordedRequest,
} from "./helpers/mediaconvert-standin";

let work: TempDir;
let clip: string;
beforeAll(() => {
  work = createTempDir("arena-transcode-");
  clip = makeClip(work.path);
});
afterAll(() => work.remove());

describe("FfmpegTranscoder", () => {
  it("turns a clip into a playable multi-rendition HLS tree with a thumbnail", async () => {
    const storage = new LocalStorage(join(work.path, "media"));
    const videoId = uniqueId("v");
    await storage.putFile(`uploads/${videoId}/source.mp4`, clip);
    // Leftovers of an interrupted earlier attempt must not survive a retry.
    await storage.put(`vod/${videoId}/stale/seg_999.ts`, Buffer.from("old"));
    const transcoder = new FfmpegTranscoder({
      storage,
      ffmpegPath: "ffmpeg",
      ladder: TEST_LADDER,
      workDir: join(work.path, "scratch"),
      preset: "ultrafast",
    });
    const result = await transcoder.transcode({
      videoId,
      sourceKey: `uploads/${videoId}/source.mp4`,
      outputPrefix: `vod/${videoId}/`,
    });

    expect(result.durationS).toBeGreaterThan(1.5);
    expect(result.durationS).toBeLessThan(3);
    expect(result.renditions.map((r) => [r.name, r.width, r.height])).toEqual([
      ["240p", 320, 240],
      ["144p", 192, 144],
    ]);
    const keys = await storage.list(`vod/${videoId}/`);
    expect(keys).toEqual(
      expect.arrayContaining([
        `vod/${videoId}/master.m3u8`,
        `vod/${videoId}/240p/index.m3u8`,
        `vod/${videoId}/144p/index.m3u8`,
        `vod/${videoId}/thumbnail.jpg`,
      ]),
    );
    expect(keys.some((k) => k.includes("stale"))).toBe(false);
    const master = readFileSync(join(storage.root, "vod", videoId, "master.m3u8"), "utf8");
    expect(master).toContain("240p/index.m3u8");
    expect(master).toContain("RESOLUTION=192x144");
    const played = await probeMedia(join(storage.root, "vod", videoId, "master.m3u8"));
    expect(played.hasVideo && played.hasAudio).toBe(true);
    expect(played.durationS).toBeGreaterThan(1.5);
    expect(readFileSync(join(storage.root, "vod", videoId, "thumbnail.jpg")).subarray(0, 2)).toEqual(
      Buffer.from([0xff, 0xd8]),
    );
  });

  it("fails permanently, with a reason and no outputs, on a source that is not a video", async () => {
    const storage = new LocalStorage(join(work.path, "media2"));
    const videoId = uniqueId("v");
    const truncated = join(work.path, "truncated.mp4");
    writeFileSync(truncated, readFileSync(clip).subarray(0, 4000));
    await storage.putFile(`uploads/${videoId}/source.mp4`, truncated);
    const transcoder = new FfmpegTranscoder({
      storage,
      ffmpegPath: "ffmpeg",
      ladder: TEST_LADDER,
      workDir: join(work.path, "scratch"),
    });
    const failure = await transcoder
      .transcode({ videoId, sourceKey: `uploads/${videoId}/source.mp4`, outputPrefix: `vod/${videoId}/` })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TranscodeError);
    expect((failure as TranscodeError).permanent).toBe(true);
    expect((failure as TranscodeError).message).toMatch(/not a readable video/);
    expect(await storage.list(`vod/${videoId}/`)).toEqual([]);
  });

  it("stops ffmpeg when aborted and reports a retryable failure", async () => {
    const storage = new LocalStorage(join(work.path, "media3"));
    const videoId = uniqueId("v");
    copyFileSync(clip, join(work.path, "copy.mp4"));
    await storage.putFile(`uploads/${videoId}/source.mp4`, join(work.path, "copy.mp4"));
    const transcoder = new FfmpegTranscoder({
      storage,
      ffmpegPath: "ffmpeg",
      ladder: TEST_LADDER,
      workDir: join(work.path, "scratch"),
    });
    const controller = new AbortController();
    controller.abort();
    const failure = await transcoder
      .transcode(
        { videoId, sourceKey: `uploads/${videoId}/source.mp4`, outputPrefix: `vod/${videoId}/` },
        { signal: controller.signal },
      )
      .catch((e: unknown) => e);
    expect((failure as TranscodeError).permanent).toBe(false);
    expect(await storage.list(`vod/${videoId}/`)).toEqual([]);
  });
});

describe("MediaConvertTranscoder (local endpoint standing in for MediaConvert)", () => {
  let standIn: MediaConvertStandIn;
  let endpoint: string;
  let recorded: RecordedRequest[];
  beforeAll(async () => {
    standIn = await startMediaConvertStandIn();
    endpoint = standIn.endpoint;
    recorded = standIn.requests;
  });
  afterAll(() => standIn.close());

  const make = (roleArn: string): MediaConvertTranscoder =>
    new MediaConvertTranscoder({
      bucket: "arena-media",
      roleArn,
      region: "eu-west-1",
      endpoint,
      ladder: TEST_LADDER,
      pollIntervalMs: 10,
      credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "secret" },
    });

  it("submits one signed job with the ladder, stores its id first, and follows it to completion", async () => {
    recorded.length = 0;
    const submitted: string[] = [];
    const result = await make("arn:aws:iam::123:role/mc").transcode(
      { videoId: "vid1", sourceKey: "uploads/vid1/source.mp4", outputPrefix: "vod/vid1/" },
      { onSubmitted: async (id) => void submitted.push(id) },
    );
    const creates = recorded.filter((r) => r.method === "POST");
    expect(creates).toHaveLength(1);
    expect(creates[0]?.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDTEST\/\d{8}\/eu-west-1\/mediaconvert\/aws4_request/,
    );
    const body = creates[0]?.body as {
      role: string;
      userMetadata: Record<string, string>;
      settings: {
        inputs: { fileInput: string }[];
        outputGroups: {
          outputGroupSettings: { hlsGroupSettings?: { destination: string } };
          outputs: { nameModifier?: string; videoDescription: { height: number } }[];
        }[];
      };
    };
    expect(body.role).toBe("arn:aws:iam::123:role/mc");
    expect(body.userMetadata).toEqual({ videoId: "vid1" });
    expect(body.settings.inputs[0]?.fileInput).toBe("s3://arena-media/uploads/vid1/source.mp4");
    const hls = body.settings.outputGroups[0];
    expect(hls?.outputGroupSettings.hlsGroupSettings?.destination).toBe("s3://arena-media/vod/vid1/master");
    expect(hls?.outputs.map((o) => [o.nameModifier, o.videoDescription.height])).toEqual([
      ["_240p", 240],
      ["_144p", 144],
    ]);
    expect(submitted).toHaveLength(1);
    expect(recorded.filter((r) => r.method === "GET").map((r) => r.path)).toEqual([
      `/2017-08-29/jobs/${submitted[0]}`,
      `/2017-08-29/jobs/${submitted[0]}`,
    ]);
    expect(result).toMatchObject({
      durationS: 2.04,
      width: 320,
      height: 240,
      masterPlaylistKey: "vod/vid1/master.m3u8",
      thumbnailKeys: ["vod/vid1/thumbnail.0000000.jpg"],
    });
    expect(result.renditions.map((r) => r.playlistKey)).toEqual([
      "vod/vid1/master_240p.m3u8",
      "vod/vid1/master_144p.m3u8",
    ]);
  });

  it("resumes an already submitted job without submitting another", async () => {
    const first: string[] = [];
    const transcoder = make("arn:aws:iam::123:role/mc");
    const controller = new AbortController();
    // Interrupted right after submission, as a node dying would be.
    await transcoder
      .transcode(
        { videoId: "vid2", sourceKey: "uploads/vid2/source.mp4", outputPrefix: "vod/vid2/" },
        {
          signal: controller.signal,
          onSubmitted: async (id) => {
            first.push(id);
            controller.abort();
          },
        },
      )
      .catch(() => undefined);
    recorded.length = 0;
    const result = await transcoder.transcode({
      videoId: "vid2",
      sourceKey: "uploads/vid2/source.mp4",
      outputPrefix: "vod/vid2/",
      resumeJobRef: first[0],
    });
    expect(recorded.filter((r) => r.method === "POST")).toHaveLength(0);
    expect(result.masterPlaylistKey).toBe("vod/vid2/master.m3u8");
  });

  it("reports a failed job permanently with MediaConvert's reason", async () => {
    const failure = await make("arn:aws:iam::123:role/failing")
      .transcode({ videoId: "vid3", sourceKey: "uploads/vid3/source.mp4", outputPrefix: "vod/vid3/" })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TranscodeError);
    expect((failure as TranscodeError).permanent).toBe(true);
    expect((failure as TranscodeError).message).toContain("Unable to open input file");
  });

  it("is chosen by MEDIA_PROVIDER=aws, only with S3 storage and a role", async () => {
    const local = await testConfig();
    expect(createTranscoder(local, new LocalStorage(work.path))).toBeInstanceOf(FfmpegTranscoder);
    const aws = await testConfig({ MEDIA_PROVIDER: "aws", AWS_REGION: "eu-west-1" });
    const s3 = new S3Storage({ bucket: "b", region: "eu-west-1" });
    expect(() => createTranscoder(aws, new LocalStorage(work.path), { mediaConvert: { roleArn: "arn:r" } })).toThrow(
      /needs STORAGE_DRIVER=s3/,
    );
    expect(() => createTranscoder(aws, s3)).toThrow(/role ARN/);
    expect(createTranscoder(aws, s3, { mediaConvert: { roleArn: "arn:r" } })).toBeInstanceOf(MediaConvertTranscoder);
    const broken = { ...local, media: { ...local.media, provider: "gcp" as unknown as "local" } };
    expect(() => createTranscoder(broken, s3)).toThrow(/Unknown media provider "gcp"/);
  });
});
