/**
 * chat's share of a deletion. A deleted user's lines stay in the rooms' history
 * (the conversation around them would make no sense without), but no longer
 * say who wrote them; their moderation-log entries lose the id the same way.
 * A deleted channel's room goes whole: history, modes and log. Idempotent.
 */
import { DELETED_USER_ID, DELETED_USER_NAME } from "../../../lib/auth/deleted-user";
import type { ArenaContext } from "../../../lib/contracts";
import { assertSelfOrAdmin, withoutFields, type UserDataParams } from "../../../lib/contracts/user-data";
import { durableHandler } from "../../../mixins/durable-events";
import type { ChatThis } from "./chat.context";
import type { ChatUserData } from "./chat.contract";

async function anonymizeAuthor(svc: ChatThis, userId: string): Promise<void> {
  await svc.stores.messages.updateMany(
    { userId },
    { userId: DELETED_USER_ID, username: DELETED_USER_NAME, badges: [] },
  );
  await svc.stores.moderationLog.updateMany({ actorId: userId }, { actorId: DELETED_USER_ID });
  await svc.stores.moderationLog.updateMany({ targetUserId: userId }, { targetUserId: DELETED_USER_ID });
}

async function removeRoom(svc: ChatThis, channelId: string): Promise<void> {
  await svc.stores.messages.removeMany({ channelId });
  await svc.stores.moderationLog.removeMany({ channelId });
  await svc.stores.moderation.removeById(channelId);
}

export const userDeletionHandlers = {
  ...durableHandler("user.deleted", {
    group: "chat",
    async handler(this: ChatThis, envelope) {
      await anonymizeAuthor(this, envelope.payload.userId);
    },
  }),
  ...durableHandler("channel.deleted", {
    group: "chat",
    async handler(this: ChatThis, envelope) {
      await removeRoom(this, envelope.payload.channelId);
    },
  }),
};

/** chat' part of GET /me/export: what it holds of the user. */
export async function exportUserData(svc: ChatThis, ctx: ArenaContext<UserDataParams>): Promise<ChatUserData> {
  assertSelfOrAdmin(ctx);
  const { userId } = ctx.params;
  const [messages, moderationActions] = await Promise.all([
    svc.stores.messages.find({ query: { userId }, sort: ["id"] }),
    svc.stores.moderationLog.find({ query: { actorId: userId } }),
  ]);
  // Who deleted a message is the moderator's data, not the author's.
  return { messages: messages.map((message) => withoutFields(message, ["deletedBy"])), moderationActions };
}
