/**
 * Only one request moves a video into processing: concurrent retries (or
 * uploads) of the same video queue one job, the others get 409, so two
 * transcodes never race to write the same outputs.
 */
import { readFileSync } from "node:fs";
import { startProcessing } from "../../../../services/media/videos/upload-actions";
import { createTempDir, type TempDir } from "../../../helpers/infra";
import { makeClip } from "./helpers/clip";
import { createChannel, newActor, type Actor } from "./helpers/users";
import { ok } from "./helpers/videos-api";
import { startVideos, type VideosHarness } from "./helpers/videos-harness";

let h: VideosHarness;
let work: TempDir;
let owner: Actor;
let channelId: string;

beforeAll(async () => {
  work = createTempDir("arena-transition-");
  // No worker: jobs stay queued, so the test sees exactly what was queued.
  h = await startVideos({ videoSettings: { processJobs: false } });
  owner = await newActor(h.base, "own");
  channelId = await createChannel(owner);
});

afterAll(async () => {
  await h?.stop();
  work?.remove();
});

describe("entering processing", () => {
  it("queues one job when the owner retries a failed video twice at once", async () => {
    const video = ok(await owner.videos.create({ channelId, title: "double retry" }), [201, 200]);
    const sourceKey = `uploads/${video.id}/source.mp4`;
    await h.videos.storage.putFile(sourceKey, makeClip(work.path, { seconds: 1 }));
    await h.videos.stores.videos.updateById(video.id, {
      status: "failed",
      sourceKey,
      sourceBytes: 1,
      sourceType: "video/mp4",
      failureReason: "MediaConvert was down",
    });

    const results = await Promise.all([
      owner.videos.retry(video.id),
      owner.videos.retry(video.id),
      owner.videos.retry(video.id),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    expect(await h.videos.stores.jobs.count({ videoId: video.id, state: { $in: ["queued", "running"] } })).toBe(1);
    expect((await h.videos.stores.videos.findById(video.id))?.status).toBe("processing");
  });

  it("takes one of two concurrent uploads of the same video; the other gets 409 and the source stays", async () => {
    const video = ok(await owner.videos.create({ channelId, title: "double upload" }), [201, 200]);
    const clip = readFileSync(makeClip(work.path, { name: "double.mp4", seconds: 1 }));
    const results = await Promise.all([
      owner.videos.upload(video.id, clip, "video/mp4"),
      owner.videos.upload(video.id, clip, "video/mp4"),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await h.videos.stores.jobs.count({ videoId: video.id })).toBe(1);
    const stored = await h.videos.stores.videos.findById(video.id);
    expect(stored?.status).toBe("processing");
    expect(await h.videos.storage.list(`uploads/${video.id}/`)).toEqual([stored?.sourceKey]);
  });

  it("a new source of another container replaces a failed video's old one", async () => {
    const video = ok(await owner.videos.create({ channelId, title: "webm then mp4" }), [201, 200]);
    const oldKey = `uploads/${video.id}/source.webm`;
    await h.videos.storage.putFile(oldKey, makeClip(work.path, { name: "old.webm", seconds: 1, container: "webm" }));
    await h.videos.stores.videos.updateById(video.id, {
      status: "failed",
      sourceKey: oldKey,
      sourceType: "video/webm",
      failureReason: "broken",
    });
    ok(
      await owner.videos.upload(
        video.id,
        readFileSync(makeClip(work.path, { name: "new.mp4", seconds: 1 })),
        "video/mp4",
      ),
    );
    expect(await h.videos.storage.list(`uploads/${video.id}/`)).toEqual([`uploads/${video.id}/source.mp4`]);
  });

  it("the move itself is conditional: two callers that both read the video as failed, one wins, one 409", async () => {
    // The routes read the video before moving it, so requests that do not overlap are refused by that read
    // alone; this calls the transition with the same stale read twice, which only its condition can settle.
    const video = ok(await owner.videos.create({ channelId, title: "stale reads" }), [201, 200]);
    const sourceKey = `uploads/${video.id}/source.mp4`;
    await h.videos.storage.putFile(sourceKey, makeClip(work.path, { name: "stale.mp4", seconds: 1 }));
    await h.videos.stores.videos.updateById(video.id, { status: "failed", sourceKey, failureReason: "broken" });
    const stale = await h.videos.stores.videos.findById(video.id);
    if (stale?.status !== "failed") throw new Error("setup: the video should be failed");
    const source = { key: sourceKey, bytes: 1, type: "video/mp4" };
    const outcomes = await Promise.allSettled([
      startProcessing(h.videos, stale, source),
      startProcessing(h.videos, stale, source),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(["fulfilled", "rejected"]);
    const refused = outcomes.find((o): o is PromiseRejectedResult => o.status === "rejected");
    expect(refused?.reason).toMatchObject({ code: 409 });
    expect(await h.videos.stores.jobs.count({ videoId: video.id })).toBe(1);
    expect((await h.videos.stores.videos.findById(video.id))?.status).toBe("processing");
  });
});
