/**
 * Chat history documents and the pure rules around them: the public shape,
 * paging by message id, and when an unknown id may still be deleted ahead
 * of its (batched) insert.
 */
import type { ChatMessageDoc } from "./chat.entities";

/** What the gateway sends in a batch (the realtime protocol's ChatMessage). */
export interface IncomingChatMessage {
  id: string;
  room: string;
  user: { id: string; username: string; badges: string[] };
  text: string;
  sentAt: number;
}

export interface PublicChatMessage {
  id: string;
  channelId: string;
  user: { id: string; username: string; badges: string[] };
  text: string;
  sentAt: string;
}

export interface HistoryPage {
  /** Oldest first, as a chat window renders them. */
  items: PublicChatMessage[];
  /** Pass as `before` for the previous page; null at the start of history. */
  nextBefore: string | null;
}

export function toDoc(m: IncomingChatMessage): Omit<ChatMessageDoc, "createdAt" | "updatedAt"> {
  return {
    id: m.id,
    channelId: m.room,
    userId: m.user.id,
    username: m.user.username,
    badges: m.user.badges,
    text: m.text,
    sentAt: new Date(m.sentAt),
    deleted: false,
    deletedBy: null,
    deletedAt: null,
  };
}

export function toPublic(doc: ChatMessageDoc): PublicChatMessage {
  return {
    id: doc.id,
    channelId: doc.channelId,
    user: { id: doc.userId, username: doc.username, badges: doc.badges },
    text: doc.text,
    sentAt: new Date(doc.sentAt).toISOString(),
  };
}

/** Newest-first docs (limit + 1 fetched) to a page. */
export function toPage(newestFirst: ChatMessageDoc[], limit: number): HistoryPage {
  const more = newestFirst.length > limit;
  const page = newestFirst.slice(0, limit);
  return {
    items: page.reverse().map(toPublic),
    nextBefore: more && page.length > 0 ? (page[0] as ChatMessageDoc).id : null,
  };
}

/** The send time encoded in a gateway message id (first 9 base-36 characters), or null. */
export function messageIdTime(id: string): number | null {
  if (!/^[0-9a-z]{17}$/.test(id)) return null;
  const t = parseInt(id.slice(0, 9), 36);
  return Number.isFinite(t) ? t : null;
}

/**
 * A delete may reach the store before the message's batch does (sent on
 * one node, deleted from another within a flush window). For ids minted in
 * the last `windowMs`, a deleted placeholder is stored and the late insert is
 * ignored, so the message never appears in history.
 */
export function mayBePending(id: string, now: number, windowMs = 120000): boolean {
  const t = messageIdTime(id);
  return t !== null && t <= now + 5000 && now - t <= windowMs;
}

/** A deleted placeholder (stored by a delete that arrived before the message) made from another channel. */
export function isForeignPlaceholder(existing: ChatMessageDoc, channelId: string): boolean {
  return existing.deleted && existing.userId === "" && existing.channelId !== channelId;
}
