import type { Context } from "moleculer";
import { NotFoundError } from "../../../lib/errors";
import type { ChatThis } from "./chat.context";

/** A stored chat message as a report records it. */
export interface ReportedMessage {
  messageId: string;
  channelId: string;
  userId: string;
  username: string;
  text: string;
  deleted: boolean;
}

/** Internal (moderation): one stored message of a channel's chat; 404 for another channel's or an unknown one. */
export async function messageForReport(
  svc: ChatThis,
  ctx: Context<{ channelId: string; messageId: string }>,
): Promise<ReportedMessage> {
  const doc = await svc.stores.messages.findById(ctx.params.messageId);
  if (!doc || doc.channelId !== ctx.params.channelId) throw new NotFoundError("Chat message", ctx.params.messageId);
  return {
    messageId: doc.id,
    channelId: doc.channelId,
    userId: doc.userId,
    username: doc.username,
    text: doc.text,
    deleted: doc.deleted,
  };
}
