/**
 * Every /videos operation called for real, each answer checked against the
 * status and body schema the OpenAPI document declares (issue 9).
 */
import { readFileSync } from "node:fs";
import { ApiClient } from "../../../helpers/api-client";
import { createTempDir, type TempDir } from "../../../helpers/infra";
import { ResponseCheck } from "../../../helpers/response-check";
import { makeClip } from "./helpers/clip";
import { publishClip } from "./helpers/publish";
import { createChannel, newActor, type Actor } from "./helpers/users";
import { ok, videosApi } from "./helpers/videos-api";
import { startVideos, type VideosHarness } from "./helpers/videos-harness";

let h: VideosHarness;
let work: TempDir;
let check: ResponseCheck;

/** The actor, its calls going through the checking fetch. */
async function checkedActor(prefix: string): Promise<Actor> {
  const actor = await newActor(h.base, prefix);
  const api = new ApiClient(h.base, actor.token, check.fetch);
  return { ...actor, api, videos: videosApi(api) };
}

beforeAll(async () => {
  work = createTempDir("arena-video-responses-");
  h = await startVideos();
  check = await ResponseCheck.load(h.base);
});

afterAll(async () => {
  await h?.stop();
  work?.remove();
});

describe("videos responses match the OpenAPI document", () => {
  it("answers every operation with its declared status and body", async () => {
    const owner = await checkedActor("own");
    const fan = await checkedActor("fan");
    const anon = videosApi(new ApiClient(h.base, undefined, check.fetch));
    const channelId = await createChannel(owner);
    const clip = readFileSync(makeClip(work.path, { seconds: 1 }));

    const video = await publishClip(owner, channelId, clip, { title: "documented" });
    ok(await owner.videos.update(video.id, { description: "now described", tags: ["doc"] }));
    ok(await anon.list({ channelId }));
    ok(await owner.videos.list({ channelId }));
    ok(await anon.get(video.id));
    ok(await owner.videos.get(video.id)); // the owner's view carries failureReason
    ok(await owner.videos.byIds([video.id]));
    ok(await fan.videos.playback(video.id));

    const top = ok(await fan.videos.comment(video.id, "first"));
    ok(await owner.videos.comment(video.id, "reply", top.id));
    ok(await fan.videos.editComment(video.id, top.id, "first, edited"));
    ok(await anon.comments(video.id));
    ok(await anon.comments(video.id, { rootId: top.id }));
    ok(await fan.videos.deleteComment(video.id, top.id));
    ok(await anon.comments(video.id)); // a deleted comment keeps its place, without author

    // A failed video, retried: what the owner sees of a failure.
    const failed = ok(await owner.videos.create({ channelId, title: "will fail" }), [201]);
    const sourceKey = `uploads/${failed.id}/source.mp4`;
    await h.videos.storage.putFile(sourceKey, makeClip(work.path, { name: "retry.mp4", seconds: 1 }));
    await h.videos.stores.videos.updateById(failed.id, {
      status: "failed",
      sourceKey,
      sourceBytes: 1,
      sourceType: "video/mp4",
      failureReason: "transcoder was down",
    });
    expect(ok(await owner.videos.get(failed.id)).failureReason).toBe("transcoder was down");
    ok(await owner.videos.retry(failed.id));

    // Refusals are checked too: each body must be the one error shape.
    expect((await anon.get("00000000-0000-4000-8000-000000000000")).status).toBe(404);
    expect((await owner.videos.byIds(["bad id"])).status).toBe(400);
    expect((await anon.byIds([video.id])).status).toBe(401);
    expect((await owner.videos.uploadUrl(video.id, { contentType: "video/mp4", size: 10 })).status).toBe(409);
    ok(await owner.videos.remove(video.id));

    expect(check.violationsOf("videos.")).toEqual([]);
    // Direct uploads need S3: upload-url and upload-complete succeed only in aws-path.test.ts.
    expect(check.unanswered("videos.")).toEqual([
      "POST /api/v1/videos/{id}/upload-complete",
      "POST /api/v1/videos/{id}/upload-url",
    ]);
  });
});
