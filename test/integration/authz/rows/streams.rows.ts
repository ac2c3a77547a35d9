/** streams: the owner edits, gets the ingest of and ends their own live stream (an admin may end it). */
import type { GuardHarness } from "../guard-harness";
import { only, read, type GuardRow, actorIndex } from "../route-guard";
import { ensureLive } from "./media-fixtures";

/** The channel's live status, without the signed playback URL (its expiry moves with every read). */
const status = (h: GuardHarness) => async () => {
  const res = await read(h.users.owner.api, `/streams/channels/${h.channelId}`);
  const { playbackUrl: _url, playbackCookies: _cookies, ...rest } = (res.body ?? {}) as Record<string, unknown>;
  return { status: res.status, body: rest };
};

export const streamsRows: GuardRow[] = [
  {
    route: "PATCH /streams/channels/:channelId",
    expect: only({ owner: 200, admin: 200 }),
    attempt: async (h) => {
      await ensureLive(h);
      return {
        params: { channelId: h.channelId },
        bodyFor: (actor) => ({ title: `Live title ${actorIndex(actor)}` }),
        state: status(h),
      };
    },
  },
  {
    route: "POST /streams/channels/:channelId/ingest",
    expect: only({ owner: 200, admin: 200 }),
    invisible: "it tells the owner where to push; nothing is stored on the local provider",
    attempt: async (h) => ({ params: { channelId: h.channelId }, state: status(h) }),
  },
  {
    route: "POST /streams/channels/:channelId/end",
    expect: only({ owner: 200, admin: 200 }),
    attempt: async (h) => {
      await ensureLive(h);
      return { params: { channelId: h.channelId }, state: status(h) };
    },
  },
];
