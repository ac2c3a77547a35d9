/**
 * moderation: anyone signed in reports; a report of a channel's chat is
 * handled by that channel's staff (owner, moderators) and admins. State is
 * the channel's queue and the report, read back through the API.
 */
import { ok } from "../../../helpers/api-client";
import type { GuardHarness } from "../guard-harness";
import { anyUser, only, read, type GuardRow } from "../route-guard";
import { chatMessage } from "./media-fixtures";

const queue = (h: GuardHarness) => () =>
  read(h.users.owner.api, `/moderation/reports?channelId=${h.channelId}&limit=100`);

/** A report, by the other user, of a fresh chat message in the owner's channel. */
async function report(h: GuardHarness): Promise<string> {
  const messageId = await chatMessage(h, h.users.moderatorOfOtherChannel.id);
  const res = await h.users.otherUser.api.request("POST", "/reports", {
    targetKind: "chat_message",
    targetId: messageId,
    channelId: h.channelId,
    reason: "spam",
  });
  if (res.status >= 300) throw new Error(`report: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { reportId: string }).reportId;
}

/** An account's suspension, as an admin reads it. */
const suspension = (h: GuardHarness, userId: string) => () =>
  read(h.users.admin.api, `/moderation/users/${userId}/suspension`);

export const moderationRows: GuardRow[] = [
  {
    route: "PUT /moderation/users/:userId/suspension",
    expect: only({ admin: 200 }),
    attempt: async (h) => {
      const userId = await h.newTarget("sus");
      return { params: { userId }, body: { reason: "spam" }, state: suspension(h, userId) };
    },
  },
  {
    route: "DELETE /moderation/users/:userId/suspension",
    expect: only({ admin: 200 }),
    attempt: async (h) => {
      const userId = await h.newTarget("sus");
      ok(await h.users.admin.api.request("PUT", `/moderation/users/${userId}/suspension`, { reason: "spam" }));
      return { params: { userId }, body: { reason: "appeal granted" }, state: suspension(h, userId) };
    },
  },
  {
    route: "POST /reports",
    note: "a chat message in the owner's channel: any signed-in user reports it",
    expect: anyUser(200),
    attempt: async (h) => ({
      body: {
        targetKind: "chat_message",
        targetId: await chatMessage(h, h.users.moderatorOfOtherChannel.id),
        channelId: h.channelId,
        reason: "spam",
      },
      state: queue(h),
    }),
  },
  {
    route: "POST /moderation/reports/:id/actions",
    note: "a chat report: the channel's staff and admins act on it",
    expect: only({ moderator: 200, owner: 200, admin: 200 }),
    attempt: async (h) => {
      const id = await report(h);
      return {
        params: { id },
        body: { action: "dismiss", reason: "not spam" },
        state: () => read(h.users.admin.api, `/moderation/reports/${id}`),
      };
    },
  },
];
