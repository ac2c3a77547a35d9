/**
 * clips: any signed-in viewer clips a public VOD; the clipper, the channel's
 * owner and moderators (and an admin) delete a clip; stream markers belong
 * to the channel's staff (owner, moderators, admin).
 */
import { ok } from "../../../helpers/api-client";
import type { GuardHarness } from "../guard-harness";
import { anyUser, only, read, type GuardRow, actorIndex } from "../route-guard";
import { ensureLive, publishedVideo, readyClip } from "./media-fixtures";

const markers = (h: GuardHarness) => () => read(h.users.owner.api, `/channels/${h.channelId}/markers?limit=100`);

async function marker(h: GuardHarness): Promise<string> {
  await ensureLive(h);
  const res = await h.users.owner.api.request("POST", `/channels/${h.channelId}/markers`, { description: "mark" });
  return (ok(res, 201) as { id: string }).id;
}

export const clipsRows: GuardRow[] = [
  {
    route: "POST /clips",
    note: "a public VOD: any signed-in viewer clips it",
    expect: anyUser(201),
    invisible: "a queued clip is shown to its clipper alone, by its id (lists hold ready clips only)",
    attempt: async (h) => {
      const videoId = await publishedVideo(h, "public", "videos/guard/source.mp4");
      return {
        bodyFor: (actor) => ({ videoId, startS: 0, durationS: 10, title: `Clip ${actorIndex(actor)}` }),
        state: () => read(h.users.owner.api, `/clips?channelId=${h.channelId}&limit=100`),
      };
    },
  },
  {
    route: "POST /clips",
    note: "a private VOD: hidden (404) from others; its owner and an admin may not clip it either",
    expect: only({ owner: 403, admin: 403 }, 404),
    attempt: async (h) => {
      const videoId = await publishedVideo(h, "private", "videos/guard/source.mp4");
      return {
        body: { videoId, startS: 0, durationS: 10, title: "Private clip" },
        state: () => read(h.users.owner.api, `/videos/${videoId}`),
      };
    },
  },
  {
    route: "DELETE /clips/:id",
    note: "the other user's clip: the clipper, the channel's staff and an admin delete it",
    expect: only({ otherUser: 200, moderator: 200, owner: 200, admin: 200 }),
    attempt: async (h) => {
      const id = await readyClip(h, h.users.otherUser.id);
      return { params: { id }, state: () => read(h.anonymous, `/clips/${id}`) };
    },
  },
  {
    route: "POST /channels/:channelId/markers",
    expect: only({ moderator: 201, owner: 201, admin: 201 }),
    attempt: async (h) => {
      await ensureLive(h);
      return {
        params: { channelId: h.channelId },
        bodyFor: (actor) => ({ description: `Marker ${actorIndex(actor)}` }),
        state: markers(h),
      };
    },
  },
  {
    route: "DELETE /channels/:channelId/markers/:markerId",
    expect: only({ moderator: 200, owner: 200, admin: 200 }),
    attempt: async (h) => ({ params: { channelId: h.channelId, markerId: await marker(h) }, state: markers(h) }),
  },
];
