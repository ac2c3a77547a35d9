import type { RoomModes } from "../api/schemas";

/** Server → client frames of arena.v1 (docs/realtime-protocol.md). */
export type RoomRole = "broadcaster" | "admin" | "moderator" | "vip" | "viewer" | "anonymous";

export interface ChatMsgFrame {
  type: "msg";
  id: string;
  room: string;
  user: { id: string; username: string; badges: string[] };
  text: string;
  sentAt: number;
}

/** A notification as the socket pushes it (the inbox row arrives with the same id). */
export interface NotificationFrameBody {
  id: string;
  type: string;
  title: string;
  body?: string;
  /** A path of this client, e.g. "/c/<slug>". */
  link?: string;
  createdAt: string;
  data?: Record<string, unknown>;
}

export type ServerFrame =
  | { type: "welcome"; connectionId: string; user: { id: string; username: string } | null; protocol: string }
  | { type: "joined"; room: string; modes: RoomModes; role: RoomRole; viewerCount: number; cid?: string }
  | { type: "left"; room: string; cid?: string }
  | ChatMsgFrame
  | { type: "deleted"; room: string; messageId: string }
  | {
      type: "moderation";
      room: string;
      modes: RoomModes;
      change?: { action: string; userId?: string; until?: number | null };
    }
  | { type: "viewers"; room: string; count: number }
  | { type: "notification"; notification: NotificationFrameBody; unreadCount?: number }
  | { type: "unread"; count: number }
  | { type: "subscribed" | "unsubscribed"; topic: string; cid?: string }
  | { type: "event"; topic: string; event: string; data: unknown }
  | { type: "ack"; cid: string; messageId?: string }
  | { type: "error"; cid?: string; code: string; message: string; retryAfterMs?: number }
  | { type: "pong"; cid?: string; serverTime: number };

const BASE_MS = 500;
const MAX_MS = 30_000;

/** Reconnect delay for the n-th attempt (0-based): exponential, capped, with full jitter in its upper half. */
export function nextDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_MS, BASE_MS * 2 ** Math.min(attempt, 16));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** What a chat error code means to the person typing. */
export function chatErrorText(code: string, message: string, retryAfterMs?: number): string {
  const wait = retryAfterMs ? ` (${Math.ceil(retryAfterMs / 1000)} s)` : "";
  switch (code) {
    case "RATE_LIMITED":
      return `You're sending messages too fast${wait}.`;
    case "SLOW_MODE":
      return `Slow mode is on: wait${wait} before your next message.`;
    case "BANNED":
      return "You are banned from this chat.";
    case "TIMED_OUT":
      return `You are timed out${wait}.`;
    case "FOLLOWERS_ONLY":
      return "Followers-only chat: follow the channel to talk.";
    case "UNIQUE_CHAT":
      return `Unique chat: that message was just sent by someone${wait}.`;
    case "EMOTE_ONLY":
      return "Emote-only mode: :emote: codes and emoji only.";
    case "DUPLICATE":
      return "You just sent that message.";
    case "BLOCKED_TERM":
      return "Your message contains a blocked term.";
    case "LINKS_NOT_ALLOWED":
      return "Links are not allowed in this chat.";
    case "MESSAGE_TOO_LONG":
      return "Message too long (500 characters at most).";
    case "EMPTY_MESSAGE":
      return "Type a message first.";
    case "UNAUTHENTICATED":
      return "Log in to chat.";
    default:
      return message || code;
  }
}
