/**
 * Processing jobs survive restarts: a job left "running" by a node that died
 * is taken over once its lease expires and finishes; a job that keeps
 * killing its workers is closed as failed; a bad source fails with a reason
 * the owner can read, and the owner can retry. Never stuck in "processing".
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { AuthUser } from "../../../../lib/auth/auth-user";
import {
  createTempDir,
  createTestDatabase,
  uniqueId,
  waitFor,
  type TempDir,
  type TestDatabase,
} from "../../../helpers/infra";
import type { VideoDoc, VideoView } from "../../../../services/media/videos/video.types";
import { newVideoDoc } from "../../../../services/media/videos/video-actions";
import { makeClip } from "./helpers/clip";
import { startVideos, type VideosHarness } from "./helpers/videos-harness";

let work: TempDir;
let clipPath: string;
let db: TestDatabase;
let dataDir: TempDir;
const owner: AuthUser = { id: "owner-1", username: "owner", roles: ["creator"] };
const stranger: AuthUser = { id: "someone", username: "someone", roles: ["viewer"] };

beforeAll(async () => {
  work = createTempDir("arena-durable-");
  clipPath = makeClip(work.path, { seconds: 1 });
  db = await createTestDatabase("arena_vodjobs");
  dataDir = createTempDir("arena-durable-data-");
});

afterAll(async () => {
  await db?.drop();
  work?.remove();
  dataDir?.remove();
});

const start = (processJobs: boolean): Promise<VideosHarness> =>
  startVideos({
    db,
    withCore: false,
    metrics: true,
    env: { DATA_DIR: dataDir.path },
    videoSettings: { processJobs, jobLeaseMs: 1500, jobMaxAttempts: 3 },
  });

/** How many job attempts ended with this outcome on the node, from its metrics registry. */
function jobCount(h: VideosHarness, outcome: string): number {
  const metric = h.broker.metrics.getMetric("arena.videos.jobs.total");
  return (metric?.get({ outcome }) as { value?: number } | null)?.value ?? 0;
}

/** A video as a crashed node left it: processing, source stored, job leased by a dead worker. */
async function crashedJob(h: VideosHarness, opts: { attempts: number; sourceBytes?: Buffer }): Promise<string> {
  const id = uniqueId("v");
  const sourceKey = `uploads/${id}/source.mp4`;
  if (opts.sourceBytes) await h.videos.storage.put(sourceKey, opts.sourceBytes);
  else await h.videos.storage.putFile(sourceKey, clipPath);
  await h.videos.stores.videos.insert({
    ...newVideoDoc({ id, channelId: "ch-1", ownerId: owner.id, title: "crash test", origin: "upload" }),
    status: "processing",
    sourceKey,
  } as VideoDoc);
  const past = new Date(Date.now() - 60_000);
  await h.videos.stores.jobs.insert({
    videoId: id,
    state: "running",
    attempts: opts.attempts,
    maxAttempts: 3,
    availableAt: past,
    leaseOwner: "dead-node:abc",
    leaseUntil: past,
    externalRef: null,
    lastError: null,
  });
  return id;
}

const getAs = (h: VideosHarness, id: string, user?: AuthUser): Promise<VideoView> =>
  h.broker.call("videos.get", { id }, { meta: { user } });

describe("durable processing jobs", () => {
  it("a restarted node takes over a job whose worker died, and finishes it", async () => {
    const before = await start(false);
    const resumed = await crashedJob(before, { attempts: 1 });
    const exhausted = await crashedJob(before, { attempts: 3 });
    // Crashed between closing the job and failing the video; and a video whose job row is gone.
    const halfFailed = await crashedJob(before, { attempts: 1 });
    const old = new Date(Date.now() - 120_000);
    await before.videos.stores.jobs.updateMany(
      { videoId: halfFailed },
      {
        state: "failed",
        lastError: "ffmpeg failed while encoding the HLS ladder: boom",
        leaseOwner: null,
        leaseUntil: null,
      },
    );
    const orphan = await crashedJob(before, { attempts: 1 });
    await before.videos.stores.jobs.removeMany({ videoId: orphan });
    await before.stop({ keepDatabase: true });
    const backdate = async (h: VideosHarness, id: string): Promise<void> => {
      await h.videos.db.query("UPDATE videos SET updated_at = $1 WHERE id = $2", [old, id]);
    };

    const quiet = await start(false);
    await backdate(quiet, halfFailed);
    await backdate(quiet, orphan);
    await quiet.stop({ keepDatabase: true });

    const after = await start(true);
    try {
      const ready = await waitFor(
        async () => {
          const video = await getAs(after, resumed, owner);
          return video.status === "ready" ? video : null;
        },
        { timeoutMs: 60000, intervalMs: 200, what: "taken-over job to finish" },
      );
      expect(ready.renditions.map((r) => r.name)).toEqual(["240p", "144p"]);
      const [job] = await after.videos.stores.jobs.find({ query: { videoId: resumed } });
      expect(job).toMatchObject({ state: "succeeded", attempts: 2, leaseOwner: null });
      expect(jobCount(after, "succeeded")).toBeGreaterThanOrEqual(1);

      // The job that already used every attempt is closed; the owner sees why, others see nothing.
      const failed = await waitFor(
        async () => {
          const video = await getAs(after, exhausted, owner);
          return video.status === "failed" ? video : null;
        },
        { what: "exhausted job to fail" },
      );
      expect(failed.failureReason).toMatch(/interrupted 3 times/);
      await expect(getAs(after, exhausted, stranger)).rejects.toMatchObject({ code: 404 });
      expect(await after.videos.stores.jobs.count({ videoId: exhausted, state: "failed" })).toBe(1);

      // The sweep repairs what a crash between two writes left: never stuck in processing.
      const repaired = await waitFor(
        async () => {
          const video = await getAs(after, halfFailed, owner);
          return video.status === "failed" ? video : null;
        },
        { what: "half-failed video repaired" },
      );
      expect(repaired.failureReason).toContain("ffmpeg failed while encoding");
      await waitFor(async () => (await getAs(after, orphan, owner)).status === "ready", {
        timeoutMs: 60000,
        what: "orphan video requeued and finished",
      });
    } finally {
      await after.stop({ keepDatabase: true });
    }
  });

  it("a source that is not a video fails at once with a reason; the owner fixes it and retries", async () => {
    const h = await start(true);
    try {
      const id = uniqueId("v");
      const sourceKey = `uploads/${id}/source.mp4`;
      await h.videos.storage.put(sourceKey, Buffer.from("definitely not a video"));
      await h.videos.stores.videos.insert({
        ...newVideoDoc({ id, channelId: "ch-1", ownerId: owner.id, title: "bad", origin: "upload" }),
        status: "processing",
        sourceKey,
      } as VideoDoc);
      await h.videos.jobQueue.enqueue(id);
      h.videos.jobRunner.kick();
      const failed = await waitFor(
        async () => {
          const video = await getAs(h, id, owner);
          return video.status === "failed" ? video : null;
        },
        { what: "bad source to fail" },
      );
      expect(failed.failureReason).toMatch(/not a readable video/);
      // The runner counts the outcome after onFailed has written the status: wait for it, do not race it.
      await waitFor(() => jobCount(h, "failed") === 1, { what: "the failed job counted" });
      expect(failed.failureReason).not.toContain(dataDir.path);
      const [job] = await h.videos.stores.jobs.find({ query: { videoId: id } });
      expect(job).toMatchObject({ state: "failed", attempts: 1 });
      expect(await h.videos.storage.list(`vod/${id}/`)).toEqual([]);
      await expect(h.broker.call("videos.playback", { id }, { meta: { user: owner } })).rejects.toMatchObject({
        code: 409,
        message: expect.stringContaining("Processing failed"),
      });

      await expect(h.broker.call("videos.retry", { id }, { meta: { user: stranger } })).rejects.toMatchObject({
        code: 404,
      });
      writeFileSync(join(work.path, "fixed.mp4"), readFileSync(clipPath));
      await h.videos.storage.putFile(sourceKey, join(work.path, "fixed.mp4"));
      const retried = (await h.broker.call("videos.retry", { id }, { meta: { user: owner } })) as VideoView;
      expect(retried.status).toBe("processing");
      const ready = await waitFor(
        async () => {
          const video = await getAs(h, id, owner);
          return video.status === "ready" ? video : null;
        },
        { timeoutMs: 60000, what: "retried video ready" },
      );
      expect(ready.failureReason).toBeNull();
    } finally {
      await h.stop({ keepDatabase: true });
    }
  });

  it("stopping a node mid-transcode kills ffmpeg, hands the job back, and the next node finishes it", async () => {
    const longClip = makeClip(work.path, { name: "long.mp4", seconds: 30 });
    const first = await start(true);
    const id = uniqueId("v");
    const sourceKey = `uploads/${id}/source.mp4`;
    await first.videos.storage.putFile(sourceKey, longClip);
    await first.videos.stores.videos.insert({
      ...newVideoDoc({ id, channelId: "ch-1", ownerId: owner.id, title: "long", origin: "upload" }),
      status: "processing",
      sourceKey,
    } as VideoDoc);
    await first.videos.jobQueue.enqueue(id);
    first.videos.jobRunner.kick();
    await waitFor(async () => (await first.videos.stores.jobs.count({ videoId: id, state: "running" })) === 1, {
      intervalMs: 10,
      what: "job running",
    });
    await first.stop({ keepDatabase: true });
    const peek = await start(false);
    const [handedBack] = await peek.videos.stores.jobs.find({ query: { videoId: id } });
    expect(handedBack).toMatchObject({ state: "queued", attempts: 0, leaseOwner: null });
    expect((await peek.videos.stores.videos.findById(id))?.status).toBe("processing");
    expect(await peek.videos.storage.list(`vod/${id}/`)).toEqual([]);
    await peek.stop({ keepDatabase: true });

    const second = await start(true);
    try {
      await waitFor(async () => (await getAs(second, id, owner)).status === "ready", {
        timeoutMs: 90000,
        intervalMs: 250,
        what: "second node finishes",
      });
      const [job] = await second.videos.stores.jobs.find({ query: { videoId: id } });
      expect(job).toMatchObject({ state: "succeeded", attempts: 1 });
    } finally {
      await second.stop({ keepDatabase: true });
    }
  });

  it("deleting a video mid-transcode stops the work and leaves no outputs", async () => {
    const h = await start(true);
    try {
      const id = uniqueId("v");
      const sourceKey = `uploads/${id}/source.mp4`;
      await h.videos.storage.putFile(sourceKey, join(work.path, "long.mp4"));
      await h.videos.stores.videos.insert({
        ...newVideoDoc({ id, channelId: "ch-1", ownerId: owner.id, title: "doomed", origin: "upload" }),
        status: "processing",
        sourceKey,
      } as VideoDoc);
      await h.videos.jobQueue.enqueue(id);
      h.videos.jobRunner.kick();
      await waitFor(async () => (await h.videos.stores.jobs.count({ videoId: id, state: "running" })) === 1, {
        intervalMs: 10,
        what: "job running",
      });
      expect(await h.broker.call("videos.remove", { id }, { meta: { user: owner } })).toEqual({ id, deleted: true });
      await h.videos.jobRunner.idle();
      expect(await h.videos.stores.videos.findById(id)).toBeNull();
      expect(await h.videos.storage.list(`vod/${id}/`)).toEqual([]);
      expect(await h.videos.storage.list(`uploads/${id}/`)).toEqual([]);
      const [job] = await h.videos.stores.jobs.find({ query: { videoId: id } });
      expect(job).toMatchObject({ state: "failed", lastError: "Video deleted" });
    } finally {
      await h.stop({ keepDatabase: true });
    }
  });

  it("jobs running healthily on other nodes never crowd out a queued one", async () => {
    const h = await start(false);
    try {
      const past = new Date(Date.now() - 600_000);
      const live = new Date(Date.now() + 600_000);
      await h.videos.stores.jobs.insertMany(
        Array.from({ length: 25 }, (_, i) => ({
          videoId: `busy-${i}`,
          state: "running" as const,
          attempts: 1,
          maxAttempts: 3,
          availableAt: past,
          leaseOwner: `node-${i}`,
          leaseUntil: live,
          externalRef: null,
          lastError: null,
        })),
      );
      const waiting = await h.videos.jobQueue.enqueue(uniqueId("v"));
      const claim = await h.videos.jobQueue.claimNext();
      expect(claim?.job.id).toBe(waiting.id);
      expect(await h.videos.jobQueue.claimNext()).toBeNull();
    } finally {
      await h.stop({ keepDatabase: true });
    }
  });

  it("a graceful stop hands the running job back without spending an attempt", async () => {
    const h = await start(false);
    try {
      const id = await crashedJob(h, { attempts: 0 });
      await h.videos.stores.jobs.updateMany({ videoId: id }, { state: "queued", leaseOwner: null, leaseUntil: null });
      const claim = await h.videos.jobQueue.claimNext();
      const claimed = claim?.job;
      if (!claimed) throw new Error("nothing claimed");
      expect(claimed.videoId).toBe(id);
      expect(claimed.attempts).toBe(1);
      // Another worker cannot take a job whose lease is live.
      expect(await h.videos.jobQueue.claimNext()).toBeNull();
      expect(await h.videos.jobQueue.release(claimed)).toBe(true);
      const [job] = await h.videos.stores.jobs.find({ query: { videoId: id } });
      expect(job).toMatchObject({ state: "queued", attempts: 0, leaseOwner: null });
      // A stale holder (lease lost) can no longer complete or fail it.
      expect(await h.videos.jobQueue.succeed(claimed)).toBe(false);
    } finally {
      await h.stop({ keepDatabase: true });
    }
  });
});
