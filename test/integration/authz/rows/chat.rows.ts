/** chat: message removal and moderation commands are for the channel's staff (owner, moderators, admin). */
import type { GuardHarness } from "../guard-harness";
import { only, read, type GuardRow, actorIndex } from "../route-guard";
import { chatMessage } from "./media-fixtures";

const history = (h: GuardHarness) => async () => {
  const res = await read(h.users.owner.api, `/channels/${h.channelId}/chat/messages?limit=100`);
  return (res.body as { items: Array<{ id: string }> }).items.map((m) => m.id);
};

export const chatRows: GuardRow[] = [
  {
    route: "DELETE /channels/:channelId/chat/messages/:messageId",
    expect: only({ moderator: 200, owner: 200, admin: 200 }),
    attempt: async (h) => ({
      params: { channelId: h.channelId, messageId: await chatMessage(h, h.users.otherUser.id) },
      state: history(h),
    }),
  },
  {
    route: "POST /channels/:channelId/chat/moderation",
    expect: only({ moderator: 200, owner: 200, admin: 200 }),
    attempt: async (h) => ({
      params: { channelId: h.channelId },
      // Each allowed actor sets a different slow mode, so each change shows.
      bodyFor: (actor) => ({ command: { action: "slow", seconds: 5 + actorIndex(actor) } }),
      state: () => read(h.users.owner.api, `/channels/${h.channelId}/chat/moderation`),
    }),
  },
];
