/**
 * The production path of the same service code: S3 storage (s3rver standing
 * in for S3), MediaConvert (local endpoint standing in for MediaConvert),
 * CloudFront signed playback. The client uploads straight to the bucket with
 * a presigned PUT; the service verifies the object before processing.
 */
import { CreateBucketCommand } from "@aws-sdk/client-s3";
import { createVerify, generateKeyPairSync } from "node:crypto";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import S3rver from "s3rver";
import { createTempDir, uniqueId, waitFor, type TempDir } from "../../../helpers/infra";
import { S3Storage } from "../../../../lib/storage";
import { makeClip } from "./helpers/clip";
import { startMediaConvertStandIn, type MediaConvertStandIn } from "./helpers/mediaconvert-standin";
import { waitForStatus } from "./helpers/publish";
import { createChannel, newActor, type Actor } from "./helpers/users";
import { ok } from "./helpers/videos-api";
import { startVideos, type VideosHarness } from "./helpers/videos-harness";

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(2000, 1)]);
const bucket = uniqueId("arena-vod-").toLowerCase();
const { privateKey, publicKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

let s3server: S3rver;
let s3dir: TempDir;
let work: TempDir;
let mediaConvert: MediaConvertStandIn;
let h: VideosHarness;
let owner: Actor;
let channelId: string;
let clip: Buffer;
const savedEnv = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };

beforeAll(async () => {
  // The SDK clients take credentials from the default chain, as in production.
  process.env.AWS_ACCESS_KEY_ID = "S3RVER";
  process.env.AWS_SECRET_ACCESS_KEY = "S3RVER";
  work = createTempDir("arena-aws-");
  clip = readFileSync(makeClip(work.path, { seconds: 1 }));
  s3dir = createTempDir("arena-aws-s3rver-");
  s3server = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory: s3dir.path });
  const s3endpoint = `http://127.0.0.1:${((await s3server.run()) as AddressInfo).port}`;
  await new S3Storage({ bucket, endpoint: s3endpoint, region: "eu-west-1" }).client.send(
    new CreateBucketCommand({ Bucket: bucket }),
  );
  mediaConvert = await startMediaConvertStandIn();
  h = await startVideos({
    env: {
      STORAGE_DRIVER: "s3",
      S3_BUCKET: bucket,
      S3_ENDPOINT: s3endpoint,
      AWS_REGION: "eu-west-1",
      MEDIA_PROVIDER: "aws",
      MEDIACONVERT_ROLE_ARN: "arn:aws:iam::123456789012:role/arena-mc",
      MEDIACONVERT_ENDPOINT: mediaConvert.endpoint,
      VOD_UPLOAD_MAX_SIZE: "512kb",
      CLOUDFRONT_DOMAIN: "d111.cloudfront.net",
      CLOUDFRONT_KEY_PAIR_ID: "K2TESTKEY",
      CLOUDFRONT_PRIVATE_KEY: privateKey,
    },
    // Small multipart threshold and parts, so a 2 s clip goes up in several parts.
    videoSettings: {
      uploadMaxBytes: undefined,
      mediaConvert: { pollIntervalMs: 50 },
      multipartThresholdBytes: 40 * 1024,
      multipartPartBytes: 16 * 1024,
    },
  });
  owner = await newActor(h.base, "own");
  channelId = await createChannel(owner);
});

afterAll(async () => {
  await h?.stop();
  await mediaConvert?.close();
  await s3server?.close();
  s3dir?.remove();
  work?.remove();
  process.env.AWS_ACCESS_KEY_ID = savedEnv.id;
  process.env.AWS_SECRET_ACCESS_KEY = savedEnv.secret;
});

async function directUpload(videoId: string, body: Buffer, contentType: string): Promise<void> {
  const grant = ok(await owner.videos.uploadUrl(videoId, { contentType, size: body.length }));
  expect(grant.multipart).toBeUndefined();
  expect(grant.uploadUrl).toContain(`/${bucket}/uploads/${videoId}/incoming?`);
  const put = await fetch(grant.uploadUrl as string, { method: "PUT", body, headers: { "content-type": contentType } });
  expect(put.status).toBe(200);
}

describe("S3 + MediaConvert + CloudFront (s3rver standing in for S3, local endpoint standing in for MediaConvert)", () => {
  it("uploads directly to S3, transcodes with one MediaConvert job and plays through a CloudFront signed URL", async () => {
    const video = ok(await owner.videos.create({ channelId, title: "cloud clip" }));
    await directUpload(video.id, clip, "video/mp4");
    expect(ok(await owner.videos.completeUpload(video.id)).status).toBe("processing");
    const ready = await waitForStatus(owner, video.id, "ready");
    expect(ready.renditions.map((r) => [r.name, r.height])).toEqual([
      ["240p", 240],
      ["144p", 144],
    ]);
    expect(ready.durationS).toBeCloseTo(2.04, 2);

    const storage = h.videos.storage;
    expect(await storage.list(`uploads/${video.id}/`)).toEqual([`uploads/${video.id}/source.mp4`]);
    const creates = mediaConvert.requests.filter((r) => r.method === "POST");
    expect(creates).toHaveLength(1);
    const job = creates[0]?.body as {
      role: string;
      settings: {
        inputs: { fileInput: string }[];
        outputGroups: { outputGroupSettings: { hlsGroupSettings?: { destination: string } } }[];
      };
    };
    expect(job.role).toBe("arn:aws:iam::123456789012:role/arena-mc");
    expect(job.settings.inputs[0]?.fileInput).toBe(`s3://${bucket}/uploads/${video.id}/source.mp4`);
    expect(job.settings.outputGroups[0]?.outputGroupSettings.hlsGroupSettings?.destination).toBe(
      `s3://${bucket}/vod/${video.id}/master`,
    );

    const play = ok(await owner.videos.playback(video.id));
    const url = new URL(play.hlsUrl);
    expect(`${url.origin}${url.pathname}`).toBe(`https://d111.cloudfront.net/vod/${video.id}/master.m3u8`);
    const fromCf = (s: string): Buffer =>
      Buffer.from(s.replace(/-/g, "+").replace(/_/g, "=").replace(/~/g, "/"), "base64");
    const policy = fromCf(url.searchParams.get("Policy") ?? "");
    expect(JSON.parse(policy.toString()).Statement[0].Resource).toBe(`https://d111.cloudfront.net/vod/${video.id}/*`);
    const verifier = createVerify("RSA-SHA1");
    verifier.update(policy);
    expect(verifier.verify(publicKey, fromCf(url.searchParams.get("Signature") ?? ""))).toBe(true);
    expect(play.thumbnailUrl).toContain(`/vod/${video.id}/thumbnail.0000000.jpg?`);
  });

  it("takes a large source as a multipart upload: one presigned URL per part, completed with the ETags", async () => {
    const big = readFileSync(makeClip(work.path, { name: "two-seconds.mp4", seconds: 2 }));
    expect(big.length).toBeGreaterThan(40 * 1024);
    const video = ok(await owner.videos.create({ channelId, title: "in parts" }));
    const grant = ok(await owner.videos.uploadUrl(video.id, { contentType: "video/mp4", size: big.length }));
    expect(grant.uploadUrl).toBeUndefined();
    const multipart = grant.multipart;
    if (!multipart) throw new Error("expected a multipart grant");
    expect(multipart.partSize).toBe(16 * 1024);
    expect(multipart.parts.map((p) => p.partNumber)).toEqual(
      Array.from({ length: Math.ceil(big.length / (16 * 1024)) }, (_, i) => i + 1),
    );
    const etags = [];
    for (const part of multipart.parts) {
      expect(part.url).toContain(`partNumber=${part.partNumber}`);
      const slice = big.subarray((part.partNumber - 1) * multipart.partSize, part.partNumber * multipart.partSize);
      const put = await fetch(part.url, { method: "PUT", body: slice });
      expect(put.status).toBe(200);
      etags.push({ partNumber: part.partNumber, etag: put.headers.get("etag") ?? "" });
    }
    // Parts must come with their upload id; a wrong id is refused and nothing is processed.
    expect((await owner.videos.completeUpload(video.id, { uploadId: "not-the-upload", parts: etags })).status).toBe(
      400,
    );
    expect(
      ok(await owner.videos.completeUpload(video.id, { uploadId: multipart.uploadId, parts: etags.reverse() })).status,
    ).toBe("processing");
    const ready = await waitForStatus(owner, video.id, "ready");
    expect(ready.renditions).toHaveLength(2);
    const source = await h.videos.storage.head(`uploads/${video.id}/source.mp4`);
    expect(source?.size).toBe(big.length);
  });

  it("verifies a direct upload like a streamed one: a non-video is refused and removed from the bucket", async () => {
    const video = ok(await owner.videos.create({ channelId, title: "not a video" }));
    await directUpload(video.id, PNG, "video/mp4");
    const res = await owner.videos.completeUpload(video.id);
    expect(res.status).toBe(415);
    expect(await h.videos.storage.list(`uploads/${video.id}/`)).toEqual([]);
    expect(ok(await owner.videos.get(video.id)).status).toBe("awaiting_upload");
    expect((await owner.videos.completeUpload(video.id)).status).toBe(409);
    // VOD_UPLOAD_MAX_SIZE applies before any URL is handed out.
    expect((await owner.videos.uploadUrl(video.id, { contentType: "video/mp4", size: 600 * 1024 })).status).toBe(413);
    expect((await owner.videos.uploadUrl(video.id, { contentType: "image/png", size: 100 })).status).toBe(400);
    expect(mediaConvert.requests.filter((r) => r.method === "POST")).toHaveLength(2);
  });

  it("shows the owner MediaConvert's reason when a job fails", async () => {
    // Only the node whose MediaConvert role fails may take this job.
    await h.videos.jobRunner.stop();
    const failing = await startVideos({
      db: h.db,
      withCore: false,
      env: {
        STORAGE_DRIVER: "s3",
        S3_BUCKET: bucket,
        S3_ENDPOINT: h.config.media.s3.endpoint,
        AWS_REGION: "eu-west-1",
        MEDIA_PROVIDER: "aws",
        MEDIACONVERT_ROLE_ARN: "arn:aws:iam::1:role/failing",
        MEDIACONVERT_ENDPOINT: mediaConvert.endpoint,
      },
      videoSettings: { mediaConvert: { pollIntervalMs: 50 } },
    });
    try {
      const video = ok(await owner.videos.create({ channelId, title: "doomed" }));
      await directUpload(video.id, clip, "video/mp4");
      // Completed on the failing node's service directly (its gateway has no identity).
      await failing.broker.call(
        "videos.completeUpload",
        { id: video.id },
        { meta: { user: { id: owner.id, username: owner.username, roles: ["creator"] } } },
      );
      const failed = await waitFor(
        async () => {
          const current = ok(await owner.videos.get(video.id));
          return current.status === "failed" ? current : null;
        },
        { timeoutMs: 30000, what: "MediaConvert failure" },
      );
      expect(failed.failureReason).toContain("Unable to open input file");
    } finally {
      await failing.stop({ keepDatabase: true });
    }
  });

  it("retries a transient MediaConvert refusal with backoff and then succeeds", async () => {
    await h.videos.jobRunner.stop();
    const flaky = await startVideos({
      db: h.db,
      withCore: false,
      metrics: true,
      env: {
        STORAGE_DRIVER: "s3",
        S3_BUCKET: bucket,
        S3_ENDPOINT: h.config.media.s3.endpoint,
        AWS_REGION: "eu-west-1",
        MEDIA_PROVIDER: "aws",
        MEDIACONVERT_ROLE_ARN: "arn:aws:iam::1:role/flaky",
        MEDIACONVERT_ENDPOINT: mediaConvert.endpoint,
      },
      videoSettings: { mediaConvert: { pollIntervalMs: 50 }, jobRetryBaseMs: 100 },
    });
    try {
      const video = ok(await owner.videos.create({ channelId, title: "second time lucky" }));
      await directUpload(video.id, clip, "video/mp4");
      await flaky.broker.call(
        "videos.completeUpload",
        { id: video.id },
        { meta: { user: { id: owner.id, username: owner.username, roles: ["creator"] } } },
      );
      const ready = await waitForStatus(owner, video.id, "ready");
      expect(ready.failureReason).toBeNull();
      const [job] = await flaky.videos.stores.jobs.find({ query: { videoId: video.id } });
      expect(job).toMatchObject({ state: "succeeded", attempts: 2 });
      const retries = flaky.broker.metrics.getMetric("arena.videos.jobs.total")?.get({ outcome: "retry" }) as {
        value?: number;
      } | null;
      expect(retries?.value).toBe(1);
    } finally {
      await flaky.stop({ keepDatabase: true });
    }
  });
});
