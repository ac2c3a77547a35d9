/**
 * The plain broadcasts of the chat service: every realtime node applies
 * them to its in-memory rooms (push a "deleted" frame, swap the moderation
 * state). One declaration, used by the emitter here and the listeners there.
 */
import type { ModChange, RoomModerationState } from "../../../lib/moderation";

export interface ChatMessageDeleted {
  channelId: string;
  messageId: string;
  deletedBy: string;
}

export interface ChatModerationChanged {
  channelId: string;
  state: RoomModerationState;
  /** What the command changed; absent when a node re-read the state. */
  change?: ModChange;
}

/** What analytics counts of a stored batch: who wrote (it hashes the id at once) where and when. */
export interface ChatMessagesStored {
  messages: Array<{ id: string; channelId: string; userId: string; sentAt: number }>;
}

declare module "../../../lib/contracts/events" {
  interface PlainEventMap {
    "chat.message.deleted": ChatMessageDeleted;
    /** A batch from a realtime gateway was stored (a retried batch is emitted again: consumers dedupe by message id). */
    "chat.messages.stored": ChatMessagesStored;
    "chat.moderation.changed": ChatModerationChanged;
  }
}
