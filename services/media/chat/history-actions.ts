/** Chat history: batches stored from realtime gateways, pages read by clients, messages deleted for good. */
import { requireUser } from "../../../lib/auth/ownership";
import { broadcastEvent, callAction, emitEvent, type ActionContext } from "../../../lib/contracts";
import { ConflictError, NotFoundError } from "../../../lib/errors";
import { isForeignPlaceholder, mayBePending, toDoc, toPage, type HistoryPage } from "./chat-history";
import { authorize } from "./chat-moderation";
import type { ChatThis } from "./chat.context";

/** Stores a batch from a realtime gateway; idempotent, so a retried batch is harmless. */
export async function appendMessages(
  svc: ChatThis,
  ctx: ActionContext<"chat.appendMessages">,
): Promise<{ stored: number }> {
  const docs = ctx.params.messages.map(toDoc);
  try {
    await svc.stores.messages.insertMany(docs);
    announceStored(svc, docs);
    return { stored: docs.length };
  } catch (err) {
    if (!(err instanceof ConflictError)) throw err;
  }
  announceStored(svc, docs);
  // Part of the batch was stored before (retry) or deleted ahead of its insert: keep what exists,
  // except a delete placeholder left from another channel: ids are public, so a moderator of
  // one channel must not be able to erase another channel's message before its batch lands.
  let stored = 0;
  for (const doc of docs) {
    if (await svc.stores.messages.insertIfAbsent(doc)) stored++;
    else {
      const existing = await svc.stores.messages.findById(doc.id);
      if (existing && isForeignPlaceholder(existing, doc.channelId)) {
        const { channelId, userId, username, badges, text, sentAt } = doc;
        await svc.stores.messages.updateById(doc.id, {
          channelId,
          userId,
          username,
          badges,
          text,
          sentAt,
          deleted: false,
          deletedBy: null,
          deletedAt: null,
        });
        stored++;
      }
    }
  }
  return { stored };
}

/** Analytics counts messages and chatters from this (load-balanced to one analytics node). */
function announceStored(
  svc: ChatThis,
  docs: Array<{ id: string; channelId: string; userId: string; sentAt: Date }>,
): void {
  const messages = docs.map((d) => ({
    id: d.id,
    channelId: d.channelId,
    userId: d.userId,
    sentAt: d.sentAt.getTime(),
  }));
  void emitEvent(svc.broker, "chat.messages.stored", { messages }).catch(() => undefined);
}

/** A room's history: the last `limit` messages, or those before a message id. Deleted messages never appear. */
export async function history(svc: ChatThis, ctx: ActionContext<"chat.history">): Promise<HistoryPage> {
  const { channelId, before } = ctx.params;
  const limit = ctx.params.limit ?? 50;
  // An unknown channel is a 404, not an empty history.
  await callAction(ctx, "channels.getChatPolicy", { channelId });
  const query = before ? { channelId, deleted: false, id: { $lt: before } } : { channelId, deleted: false };
  return toPage(await svc.stores.messages.find({ query, sort: ["-id"], limit: limit + 1 }), limit);
}

/** Deletes a message for good (broadcaster, moderators, admins); every realtime node hides it. */
export async function deleteMessage(
  svc: ChatThis,
  ctx: ActionContext<"chat.deleteMessage">,
): Promise<{ channelId: string; messageId: string; deleted: true }> {
  const user = requireUser(ctx);
  const { channelId, messageId } = ctx.params;
  authorize(user, await callAction(ctx, "channels.getChatPolicy", { channelId }), null);
  const now = new Date();
  const doc = await svc.stores.messages.findById(messageId);
  if (doc && doc.channelId !== channelId) throw new NotFoundError("Message", messageId);
  if (doc) await svc.stores.messages.updateById(messageId, { deleted: true, deletedBy: user.id, deletedAt: now });
  else if (mayBePending(messageId, now.getTime())) {
    await svc.stores.messages.insertIfAbsent({
      id: messageId,
      channelId,
      userId: "",
      username: "",
      badges: [],
      text: "",
      sentAt: now,
      deleted: true,
      deletedBy: user.id,
      deletedAt: now,
    });
  } else throw new NotFoundError("Message", messageId);
  await svc.stores.moderationLog.insert({
    channelId,
    actorId: user.id,
    action: "deleteMessage",
    targetUserId: doc?.userId ?? null,
    detail: { messageId },
  });
  void broadcastEvent(svc.broker, "chat.message.deleted", { channelId, messageId, deletedBy: user.id });
  return { channelId, messageId, deleted: true };
}
