/**
 * videos: the owner (or an admin) changes a video; comments belong to their
 * author, and the channel's staff may remove them. Upload routes answer 409
 * to the owner here (local storage offers no direct upload, nothing is
 * pending or failed): still refused with 401/403 to everyone else first.
 */
import { readFileSync } from "node:fs";
import { ok } from "../../../helpers/api-client";
import { createTempDir } from "../../../helpers/infra";
import { makeClip } from "../../media/videos/helpers/clip";
import type { GuardHarness } from "../guard-harness";
import { anyUser, only, perHarness, read, type GuardRow, actorIndex } from "../route-guard";
import { publishedVideo } from "./media-fixtures";

/** A real one-second clip (ffprobe checks uploads), made once per file. */
const clip = perHarness(async () => readFileSync(makeClip(createTempDir("arena-guard-").path, { seconds: 1 })));

/** The video as its owner sees it (404 once deleted). */
const video = (h: GuardHarness, id: string) => () => read(h.users.owner.api, `/videos/${id}`);

/** A draft video of the owner's channel, made through the API (hidden from everyone else: 404). */
async function draft(h: GuardHarness): Promise<string> {
  return (
    ok(await h.users.owner.api.request("POST", "/videos", { channelId: h.channelId, title: "Draft" }), 201) as {
      id: string;
    }
  ).id;
}

const comments = (h: GuardHarness, videoId: string) => () =>
  read(h.users.owner.api, `/videos/${videoId}/comments?limit=50`);

/** A comment by the other user on a published video. */
async function othersComment(h: GuardHarness): Promise<{ videoId: string; commentId: string }> {
  const videoId = await publishedVideo(h);
  const res = await h.users.otherUser.api.request("POST", `/videos/${videoId}/comments`, { body: "a comment" });
  return { videoId, commentId: (ok(res, 201) as { id: string }).id };
}

export const videosRows: GuardRow[] = [
  {
    route: "POST /videos",
    note: "in the owner's channel",
    expect: only({ owner: 201, admin: 201 }),
    attempt: async (h) => ({
      body: { channelId: h.channelId, title: "Sneaky upload" },
      state: () => read(h.users.owner.api, `/videos?channelId=${h.channelId}&status=awaiting_upload&limit=100`),
    }),
  },
  {
    route: "GET /me/videos",
    note: "a draft's id: signed-in callers get 200 (the draft itself only to its owner, videos-by-ids.test.ts)",
    expect: anyUser(200),
    // A read: no caller changes the draft.
    changes: [],
    attempt: async (h) => {
      const id = await draft(h);
      return { query: { ids: id }, state: video(h, id) };
    },
  },
  {
    route: "PATCH /videos/:id",
    expect: only({ owner: 200, admin: 200 }),
    attempt: async (h) => {
      const id = await publishedVideo(h);
      return { params: { id }, bodyFor: (a) => ({ title: `Renamed ${actorIndex(a)}` }), state: video(h, id) };
    },
  },
  {
    route: "DELETE /videos/:id",
    expect: only({ owner: 200, admin: 200 }),
    attempt: async (h) => {
      const id = await publishedVideo(h);
      return { params: { id }, state: video(h, id) };
    },
  },
  {
    route: "PUT /videos/:id/source",
    note: "a draft: hidden (404) from everyone but its owner and an admin",
    expect: only({ owner: 200, admin: 200 }, 404),
    attempt: async (h) => {
      const id = await draft(h);
      // No transcoding job runs here (processJobs off): the upload itself is what the guard checks.
      return { params: { id }, raw: { contentType: "video/mp4", data: await clip(h) }, state: video(h, id) };
    },
  },
  {
    route: "PUT /videos/:id/source",
    note: "a published video: seen by everyone, so refused with 403; its owner gets 409 (a published source stays)",
    expect: only({ owner: 409, admin: 409 }),
    attempt: async (h) => {
      const id = await publishedVideo(h);
      return { params: { id }, raw: { contentType: "video/mp4", data: await clip(h) }, state: video(h, id) };
    },
  },
  {
    route: "POST /videos/:id/upload-url",
    expect: only({ owner: 409, admin: 409 }),
    attempt: async (h) => {
      const id = await publishedVideo(h);
      return { params: { id }, body: { contentType: "video/mp4", size: 1000 }, state: video(h, id) };
    },
  },
  {
    route: "POST /videos/:id/upload-complete",
    expect: only({ owner: 409, admin: 409 }),
    attempt: async (h) => {
      const id = await publishedVideo(h);
      return { params: { id }, state: video(h, id) };
    },
  },
  {
    route: "POST /videos/:id/retry",
    expect: only({ owner: 409, admin: 409 }),
    attempt: async (h) => {
      const id = await publishedVideo(h);
      return { params: { id }, state: video(h, id) };
    },
  },
  {
    route: "POST /videos/:videoId/comments",
    note: "a private video: only its owner (and an admin) sees it to comment",
    expect: { ...only({ owner: 201, admin: 201 }, 404) },
    attempt: async (h) => {
      const videoId = await publishedVideo(h, "private");
      return { params: { videoId }, body: { body: "a comment" }, state: comments(h, videoId) };
    },
  },
  {
    route: "POST /videos/:videoId/comments",
    note: "a public video: any signed-in user comments",
    expect: anyUser(201),
    attempt: async (h) => {
      const videoId = await publishedVideo(h);
      return { params: { videoId }, body: { body: "a comment" }, state: comments(h, videoId) };
    },
  },
  {
    route: "PATCH /videos/:videoId/comments/:id",
    note: "the other user's comment: only its author edits it",
    expect: { ...only({ otherUser: 200 }) },
    attempt: async (h) => {
      const { videoId, commentId } = await othersComment(h);
      return {
        params: { videoId, id: commentId },
        body: { body: "edited" },
        state: comments(h, videoId),
      };
    },
  },
  {
    route: "DELETE /videos/:videoId/comments/:id",
    note: "the other user's comment: its author, the channel's staff and an admin remove it",
    expect: only({ otherUser: 200, moderator: 200, owner: 200, admin: 200 }),
    attempt: async (h) => {
      const { videoId, commentId } = await othersComment(h);
      return { params: { videoId, id: commentId }, state: comments(h, videoId) };
    },
  },
];
