/**
 * The videos routes' input checks (400 before any lookup or rights check) and
 * what deleting a video removes. Who may call each route is the authorization
 * guard's job (test/integration/authz/rows/videos.rows.ts).
 */
import { readFileSync } from "node:fs";
import { createTempDir, type TempDir } from "../../../helpers/infra";
import { makeClip } from "./helpers/clip";
import { publishClip } from "./helpers/publish";
import { createChannel, newActor, type Actor } from "./helpers/users";
import { ok } from "./helpers/videos-api";
import { startVideos, type VideosHarness } from "./helpers/videos-harness";

let h: VideosHarness;
let work: TempDir;
let clip: Buffer;
let owner: Actor;
let other: Actor;
let channelId: string;
let videoId: string;
let commentId: string;

beforeAll(async () => {
  work = createTempDir("arena-video-routes-");
  clip = readFileSync(makeClip(work.path, { seconds: 1 }));
  h = await startVideos();
  [owner, other] = await Promise.all(["own", "oth"].map((p) => newActor(h.base, p)));
  channelId = await createChannel(owner);
  videoId = (await publishClip(owner, channelId, clip, { title: "Original" })).id;
  commentId = ok(await other.videos.comment(videoId, "a comment by the other user")).id;
});

afterAll(async () => {
  await h?.stop();
  work?.remove();
});

describe("videos routes: malformed params, and what deleting a video removes (real gateway, real Postgres)", () => {
  it("every route refuses malformed params with 400", async () => {
    const malformed: Array<[string, () => Promise<{ status: number }>]> = [
      ["create without title", () => owner.api.request("POST", "/videos", { channelId })],
      [
        "create with tags not a list",
        () => owner.api.request("POST", "/videos", { channelId, title: "x", tags: "fps" }),
      ],
      ["update with bad visibility", () => owner.api.request("PATCH", `/videos/${videoId}`, { visibility: "friends" })],
      [
        "update with a 300-char title",
        () => owner.api.request("PATCH", `/videos/${videoId}`, { title: "x".repeat(300) }),
      ],
      ["list with limit 0", () => owner.api.request("GET", "/videos?limit=0")],
      ["list with a forged cursor", () => owner.api.request("GET", "/videos?cursor=WyJ4Il0")],
      ["list with an unknown status", () => owner.api.request("GET", "/videos?status=weird")],
      [
        "upload-url without size",
        () => owner.api.request("POST", `/videos/${videoId}/upload-url`, { contentType: "video/mp4" }),
      ],
      [
        "upload-url with negative size",
        () => owner.api.request("POST", `/videos/${videoId}/upload-url`, { contentType: "video/mp4", size: -5 }),
      ],
      ["playback with a bad id", () => owner.api.request("GET", "/videos/bad%20id/playback")],
      ["comment without body", () => owner.api.request("POST", `/videos/${videoId}/comments`, {})],
      [
        "comment with a bad parent id",
        () => owner.api.request("POST", `/videos/${videoId}/comments`, { body: "x", parentId: "no/slash" }),
      ],
      [
        "edit comment with empty body",
        () => owner.api.request("PATCH", `/videos/${videoId}/comments/${commentId}`, { body: "" }),
      ],
      ["list comments with limit 500", () => owner.api.request("GET", `/videos/${videoId}/comments?limit=500`)],
      ["upload to a bad id", () => owner.videos.upload("bad id", clip, "video/mp4")],
    ];
    for (const [what, call] of malformed) {
      const res = await call();
      expect({ what, status: res.status }).toEqual({ what, status: 400 });
    }
  });

  it("refuses malformed params with 400 before any check", async () => {
    expect((await owner.videos.create({ channelId, title: "" })).status).toBe(400);
    expect((await owner.videos.create({ channelId, title: "x", visibility: "secret" })).status).toBe(400);
    expect((await owner.videos.create({ channelId: "../etc", title: "x" })).status).toBe(400);
    expect((await owner.videos.update("a/b", { title: "x" })).status).toBe(400);
    expect((await owner.videos.update("no-such-video", { title: "x" })).status).toBe(404);
    expect((await owner.videos.comment(videoId, "x".repeat(9000))).status).toBe(400);
  });

  it("deleting a video removes its comments, its files and its playback", async () => {
    expect(await h.videos.stores.comments.count({ videoId })).toBeGreaterThan(0);
    expect((await h.videos.storage.list(`vod/${videoId}/`)).length).toBeGreaterThan(0);
    expect(ok(await owner.videos.remove(videoId))).toEqual({ id: videoId, deleted: true });
    expect(await h.videos.stores.videos.findById(videoId)).toBeNull();
    expect(await h.videos.stores.comments.count({ videoId })).toBe(0);
    expect(await h.videos.storage.list(`vod/${videoId}/`)).toEqual([]);
    expect(await h.videos.storage.list(`uploads/${videoId}/`)).toEqual([]);
    expect((await owner.videos.get(videoId)).status).toBe(404);
  });
});
