/**
 * Uploads that must be refused — wrong type, too large, truncated, not a
 * video at all — get a 4xx and leave nothing behind: no stored object, no
 * temporary file, no job, the video still waiting for its source.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createTempDir, type TempDir } from "../../../helpers/infra";
import { makeClip } from "./helpers/clip";
import { waitForStatus } from "./helpers/publish";
import { createChannel, newActor, type Actor } from "./helpers/users";
import { ok } from "./helpers/videos-api";
import { startVideos, type VideosHarness } from "./helpers/videos-harness";

const LIMIT = 120 * 1024;
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(2000, 1)]);

let h: VideosHarness;
let work: TempDir;
let clip: Buffer;
let owner: Actor;
let channelId: string;

beforeAll(async () => {
  work = createTempDir("arena-badupload-");
  clip = readFileSync(makeClip(work.path));
  expect(clip.length).toBeLessThan(LIMIT);
  // A short action timeout: uploads must not be bound by it. The owner's registration must fit in it too,
  // beside another test file on the same two cores: a cheap password hash (PASSWORD_HASH_COST, test-only).
  h = await startVideos({
    env: { REQUEST_TIMEOUT_MS: "800", PASSWORD_HASH_COST: "10" },
    videoSettings: { uploadMaxBytes: LIMIT },
  });
  owner = await newActor(h.base, "own");
  channelId = await createChannel(owner);
});

afterAll(async () => {
  await h?.stop();
  work?.remove();
});

async function expectNothingStored(videoId: string): Promise<void> {
  expect(await h.videos.storage.list(`uploads/${videoId}/`)).toEqual([]);
  expect(await h.videos.storage.list(`vod/${videoId}/`)).toEqual([]);
  let leftovers: string[] = [];
  try {
    leftovers = readdirSync(join(h.config.dataDir, "upload-tmp"));
  } catch {
    leftovers = [];
  }
  expect(leftovers).toEqual([]);
  expect(await h.videos.stores.jobs.count({ videoId })).toBe(0);
  expect(ok(await owner.videos.get(videoId)).status).toBe("awaiting_upload");
}

describe("bad uploads are refused with nothing stored", () => {
  let videoId: string;
  beforeAll(async () => {
    videoId = ok(await owner.videos.create({ channelId, title: "target" })).id;
  });

  it("refuses a declared non-video type (415)", async () => {
    const res = await owner.videos.upload(videoId, PNG, "image/png");
    expect(res.status).toBe(415);
    await expectNothingStored(videoId);
  });

  it("refuses non-video content whatever the declared type (415)", async () => {
    expect((await owner.videos.upload(videoId, PNG, "video/mp4")).status).toBe(415);
    expect(
      (await owner.videos.upload(videoId, Buffer.from("#!/bin/sh\nrm -rf /\n".repeat(50)), "application/octet-stream"))
        .status,
    ).toBe(415);
    await expectNothingStored(videoId);
  });

  it("refuses a body over the limit by its Content-Length (413)", async () => {
    const big = Buffer.concat([clip, Buffer.alloc(LIMIT, 0)]);
    const res = await owner.videos.upload(videoId, big, "video/mp4");
    expect(res.status).toBe(413);
    await expectNothingStored(videoId);
  });

  it("stops a chunked body the moment it passes the limit (413)", async () => {
    const chunk = Buffer.alloc(16 * 1024, 7);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent === 0) controller.enqueue(clip.subarray(0, 4096));
        controller.enqueue(chunk);
        sent += chunk.length;
        if (sent > LIMIT * 2) controller.close();
      },
    });
    const res = await fetch(`${h.base}/api/v1/videos/${videoId}/source`, {
      method: "PUT",
      headers: { authorization: `Bearer ${owner.token}`, "content-type": "video/mp4" },
      body,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
    await expectNothingStored(videoId);
  });

  it("refuses a truncated video (400)", async () => {
    const res = await owner.videos.upload(videoId, clip.subarray(0, Math.floor(clip.length * 0.6)), "video/mp4");
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toMatch(/truncated or corrupt/);
    await expectNothingStored(videoId);
  });

  it("refuses an empty body (400)", async () => {
    expect((await owner.videos.upload(videoId, Buffer.alloc(0), "video/mp4")).status).toBe(400);
    await expectNothingStored(videoId);
  });

  it("then accepts the real clip, as multipart/form-data too", async () => {
    const form = new FormData();
    form.append("title", "ignored field");
    form.append("file", new Blob([clip], { type: "video/mp4" }), "clip.mp4");
    const res = await fetch(`${h.base}/api/v1/videos/${videoId}/source`, {
      method: "PUT",
      headers: { authorization: `Bearer ${owner.token}` },
      body: form,
    });
    expect(res.status).toBe(200);
    const ready = await waitForStatus(owner, videoId, "ready");
    expect(ready.renditions).toHaveLength(2);
    expect(await h.videos.storage.list(`uploads/${videoId}/`)).toEqual([`uploads/${videoId}/source.mp4`]);
  });

  it("takes a slow upload that lasts longer than the action timeout", async () => {
    const slow = ok(await owner.videos.create({ channelId, title: "slow link" })).id;
    const pieces = [clip.subarray(0, clip.length / 2), clip.subarray(clip.length / 2)];
    let index = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const piece = pieces[index++];
        if (!piece) return controller.close();
        // A slow client: the second half arrives after the 800 ms action timeout.
        if (index > 1) await new Promise((resolve) => setTimeout(resolve, 1200));
        controller.enqueue(piece);
      },
    });
    const res = await fetch(`${h.base}/api/v1/videos/${slow}/source`, {
      method: "PUT",
      headers: { authorization: `Bearer ${owner.token}`, "content-type": "video/mp4" },
      body,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(200);
    await waitForStatus(owner, slow, "ready");
  });

  it("refuses a multipart part of the wrong type (415)", async () => {
    const other = ok(await owner.videos.create({ channelId, title: "png in form" })).id;
    const form = new FormData();
    form.append("file", new Blob([PNG], { type: "image/png" }), "x.png");
    const res = await fetch(`${h.base}/api/v1/videos/${other}/source`, {
      method: "PUT",
      headers: { authorization: `Bearer ${owner.token}` },
      body: form,
    });
    expect(res.status).toBe(415);
    await expectNothingStored(other);
  });
});
