/**
 * Every mutating videos route, called by the owner, another user, a
 * moderator of the channel, and anonymously. Only the owner (or, for
 * comments, the author and the channel's moderation) may change anything;
 * state is read back after every refused call.
 */
import { readFileSync } from "node:fs";
import type { ApiResponse } from "../../../helpers/api-client";
import { createTempDir, type TempDir } from "../../../helpers/infra";
import { makeClip } from "./helpers/clip";
import { publishClip } from "./helpers/publish";
import { anonymous, createChannel, newActor, type Actor } from "./helpers/users";
import { ok, type VideosApi } from "./helpers/videos-api";
import { startVideos, type VideosHarness } from "./helpers/videos-harness";

type ActorName = "owner" | "otherUser" | "channelModerator" | "anonymous";

let h: VideosHarness;
let work: TempDir;
let clip: Buffer;
let owner: Actor;
let other: Actor;
let moderator: Actor;
let channelId: string;
let otherChannelId: string;
let videoId: string;
let commentId: string;
const clients = {} as Record<ActorName, VideosApi>;

beforeAll(async () => {
  work = createTempDir("arena-authz-");
  clip = readFileSync(makeClip(work.path, { seconds: 1 }));
  h = await startVideos();
  [owner, other, moderator] = await Promise.all(["own", "oth", "mod"].map((p) => newActor(h.base, p)));
  channelId = await createChannel(owner);
  otherChannelId = await createChannel(other);
  ok(await owner.api.channels.addModerator(channelId, moderator.id));
  videoId = (await publishClip(owner, channelId, clip, { title: "Original" })).id;
  commentId = ok(await other.videos.comment(videoId, "a comment by the other user")).id;
  Object.assign(clients, {
    owner: owner.videos,
    otherUser: other.videos,
    channelModerator: moderator.videos,
    anonymous: anonymous(h.base).videos,
  });
});

afterAll(async () => {
  await h?.stop();
  work?.remove();
});

interface Snapshot {
  title: string;
  visibility: string;
  status: string;
  commentBody: string | undefined;
  commentStatus: string | undefined;
  objects: number;
  videosInOtherChannel: number;
}

async function snapshot(): Promise<Snapshot> {
  const video = await h.videos.stores.videos.findById(videoId);
  const comment = await h.videos.stores.comments.findById(commentId);
  return {
    title: video?.title ?? "<deleted>",
    visibility: video?.visibility ?? "<deleted>",
    status: video?.status ?? "<deleted>",
    commentBody: comment?.body,
    commentStatus: comment?.status,
    objects:
      (await h.videos.storage.list(`vod/${videoId}/`)).length +
      (await h.videos.storage.list(`uploads/${videoId}/`)).length,
    videosInOtherChannel: await h.videos.stores.videos.count({ channelId: otherChannelId }),
  };
}

interface MatrixRoute {
  name: string;
  call(api: VideosApi): Promise<ApiResponse<unknown>>;
  /** Expected status per refused actor (default: anonymous 401, others 403). */
  refused?: Partial<Record<ActorName, number>>;
}

const ROUTES: MatrixRoute[] = [
  {
    name: "POST /videos (someone else's channel)",
    call: (api) => api.create({ channelId: otherChannelId, title: "sneaky" }),
    refused: { otherUser: 0 },
  },
  { name: "PATCH /videos/:id", call: (api) => api.update(videoId, { title: "Hacked", visibility: "private" }) },
  { name: "PUT /videos/:id/source", call: (api) => api.upload(videoId, clip, "video/mp4") },
  {
    name: "POST /videos/:id/upload-url",
    call: (api) => api.uploadUrl(videoId, { contentType: "video/mp4", size: 1000 }),
  },
  { name: "POST /videos/:id/upload-complete", call: (api) => api.completeUpload(videoId) },
  { name: "POST /videos/:id/retry", call: (api) => api.retry(videoId) },
  {
    name: "PATCH /videos/:id/comments/:id",
    call: (api) => api.editComment(videoId, commentId, "edited by someone else"),
    refused: { otherUser: 0 },
  },
  { name: "DELETE /videos/:id (video)", call: (api) => api.remove(videoId) },
];

describe("authorization matrix over every mutating videos route (real gateway, real Postgres)", () => {
  const refusers: ActorName[] = ["anonymous", "otherUser", "channelModerator"];
  for (const route of ROUTES) {
    for (const actor of refusers) {
      const expected = route.refused?.[actor] ?? (actor === "anonymous" ? 401 : 403);
      if (expected === 0) continue; // this actor is the allowed one for this route
      it(`${route.name} as ${actor} → ${expected}, nothing changes`, async () => {
        const before = await snapshot();
        const res = await route.call(clients[actor]);
        expect(res.status).toBe(expected);
        expect(await snapshot()).toEqual(before);
      });
    }
  }

  it("POST /videos/:id/comments needs a token; DELETE of someone's comment needs owner/moderator rights", async () => {
    const before = await snapshot();
    expect((await clients.anonymous.comment(videoId, "anon")).status).toBe(401);
    expect((await clients.anonymous.deleteComment(videoId, commentId)).status).toBe(401);
    const stranger = await newActor(h.base, "str");
    expect((await stranger.videos.deleteComment(videoId, commentId)).status).toBe(403);
    expect((await owner.videos.editComment(videoId, commentId, "owner edits")).status).toBe(403);
    expect(await snapshot()).toEqual(before);
  });

  it("the owner's calls succeed (or are refused for state, not rights)", async () => {
    expect(ok(await owner.videos.update(videoId, { title: "Renamed", visibility: "unlisted" }))).toMatchObject({
      title: "Renamed",
      visibility: "unlisted",
    });
    // Local storage: direct uploads are not offered; nothing pending; nothing failed.
    expect((await owner.videos.uploadUrl(videoId, { contentType: "video/mp4", size: 1000 })).status).toBe(409);
    expect((await owner.videos.completeUpload(videoId)).status).toBe(409);
    expect((await owner.videos.retry(videoId)).status).toBe(409);
    expect(ok(await other.videos.create({ channelId: otherChannelId, title: "own channel" })).channelId).toBe(
      otherChannelId,
    );
    expect(ok(await other.videos.editComment(videoId, commentId, "edited by its author")).body).toBe(
      "edited by its author",
    );
    expect(ok(await moderator.videos.deleteComment(videoId, commentId)).status).toBe("removed");
    const removed = ok(await owner.videos.remove(videoId));
    expect(removed).toEqual({ id: videoId, deleted: true });
    expect(await h.videos.stores.videos.findById(videoId)).toBeNull();
    expect(await h.videos.stores.comments.count({ videoId })).toBe(0);
    expect(await h.videos.storage.list(`vod/${videoId}/`)).toEqual([]);
    expect(await h.videos.storage.list(`uploads/${videoId}/`)).toEqual([]);
    expect((await owner.videos.get(videoId)).status).toBe(404);
  });

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
      ["list with page 0", () => owner.api.request("GET", "/videos?page=0")],
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
      ["list comments with pageSize 500", () => owner.api.request("GET", `/videos/${videoId}/comments?pageSize=500`)],
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
});
