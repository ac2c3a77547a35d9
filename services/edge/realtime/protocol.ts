/**
 * The realtime wire protocol (docs/realtime-protocol.md): JSON text frames.
 * Client frames are parsed here into typed values; anything malformed yields
 * a typed problem instead of a half-filled object, so the gateway can answer
 * with an error frame or close that one socket.
 */

import { ID_PATTERN } from "../../../lib/validation";
import { parseModCommand, type ModAction, type ModCommand, type RoomModes } from "../../../lib/moderation";
import { parseTopicFrame, type TopicFrame } from "./topic-frames";

/** JSON-safe payload of a topic event (what the client receives as `data`). */
export type TopicData = null | boolean | number | string | TopicData[] | { [key: string]: TopicData };

export const PROTOCOL_NAME = "arena.v1";

/** Room ids are channel ids; they become NATS subject tokens, so no dots, wildcards or spaces. */
/** Rooms are channel ids (the one id rule: also safe as a NATS subject token). */
export const ROOM_ID = ID_PATTERN;
const CLIENT_ID = /^[\x21-\x7e]{1,64}$/;

export type { ModAction, ModCommand, RoomModes };

export type ClientFrame =
  | { type: "join"; room: string; cid?: string }
  | { type: "leave"; room: string; cid?: string }
  | { type: "send"; room: string; text: string; cid?: string }
  | { type: "delete"; room: string; messageId: string; cid?: string }
  | { type: "mod"; room: string; command: ModCommand; cid?: string }
  | { type: "auth"; token: string; cid?: string }
  | { type: "ping"; cid?: string }
  | TopicFrame;

/** Stable error codes in error frames; clients switch on these, never on messages. */
export type ErrorCode =
  | "BAD_FRAME"
  | "UNKNOWN_TYPE"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_IN_ROOM"
  | "TOO_MANY_ROOMS"
  | "TOO_MANY_TOPICS"
  | "ROOM_UNAVAILABLE"
  | "RATE_LIMITED"
  | "DUPLICATE"
  | "SLOW_MODE"
  | "FOLLOWERS_ONLY"
  | "UNIQUE_CHAT"
  | "EMOTE_ONLY"
  | "BANNED"
  | "TIMED_OUT"
  | "BLOCKED_TERM"
  | "LINKS_NOT_ALLOWED"
  | "EMPTY_MESSAGE"
  | "MESSAGE_TOO_LONG"
  | "INVALID_TEXT"
  | "NOT_FOUND"
  | "INTERNAL";

/** WebSocket close codes the gateway uses (4000-4999 is the application range). */
export const CloseCode = {
  GOING_AWAY: 1001,
  MESSAGE_TOO_BIG: 1009,
  SERVICE_RESTART: 1012,
  MALFORMED: 4000,
  AUTH_TIMEOUT: 4001,
  TOKEN_EXPIRED: 4003,
  SESSION_REVOKED: 4004,
  SLOW_CONSUMER: 4008,
  TOO_MANY_ERRORS: 4029,
} as const;

export interface ChatUser {
  id: string;
  username: string;
  /** "broadcaster" | "moderator" | "vip" as applicable in this room. */
  badges: string[];
}

export interface ChatMessage {
  id: string;
  room: string;
  user: ChatUser;
  text: string;
  /** Epoch ms at the accepting gateway. */
  sentAt: number;
}

export type ServerFrame =
  | {
      type: "welcome";
      connectionId: string;
      user: { id: string; username: string } | null;
      protocol: string;
      limits: { maxMessageChars: number; maxRooms: number; maxTopics: number };
    }
  | { type: "ack"; cid?: string; messageId?: string }
  | { type: "error"; cid?: string; code: ErrorCode; message: string; retryAfterMs?: number }
  | { type: "joined"; room: string; modes: RoomModes; role: string; viewerCount: number; cid?: string }
  | { type: "left"; room: string; cid?: string }
  | ({ type: "msg" } & ChatMessage)
  | { type: "deleted"; room: string; messageId: string }
  | {
      type: "moderation";
      room: string;
      modes: RoomModes;
      change?: { action: ModAction; userId?: string; until?: number | null };
    }
  | { type: "viewers"; room: string; count: number }
  | { type: "notification"; notification: UserNotification; unreadCount?: number }
  | { type: "unread"; count: number }
  | { type: "pong"; cid?: string; serverTime: number }
  | { type: "subscribed"; topic: string; cid?: string }
  | { type: "unsubscribed"; topic: string; cid?: string }
  | { type: "event"; topic: string; event: string; data: TopicData };

export interface UserNotification {
  id: string;
  type: string;
  title: string;
  body?: string;
  /** A path of the web client the notification opens, e.g. "/c/<slug>". */
  link?: string;
  createdAt: string;
  data?: Record<string, unknown>;
}

export type ParseResult =
  { ok: true; frame: ClientFrame } | { ok: false; code: "BAD_FRAME" | "UNKNOWN_TYPE"; message: string; cid?: string };

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Decodes a text frame; invalid UTF-8 is refused rather than patched with U+FFFD. */
export function decodeFrame(data: ArrayBuffer): string | null {
  try {
    return utf8.decode(data);
  } catch {
    return null;
  }
}

type Json = Record<string, unknown>;

function str(o: Json, key: string, re?: RegExp, max = 10000): string | undefined {
  const v = o[key];
  if (typeof v !== "string" || v.length > max) return undefined;
  if (re && !re.test(v)) return undefined;
  return v;
}

function bad(message: string, cid?: string): ParseResult {
  return { ok: false, code: "BAD_FRAME", message, cid };
}

/** Parses one client text frame. `maxTextBytes` bounds what JSON.parse is ever given. */
export function parseClientFrame(raw: string): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return bad("frame is not valid JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return bad("frame must be a JSON object");
  const o = value as Json;
  const cid = o.cid === undefined ? undefined : str(o, "cid", CLIENT_ID);
  if (o.cid !== undefined && cid === undefined) return bad("cid must be 1-64 printable ASCII characters");
  const type = o.type;
  if (type === "ping") return { ok: true, frame: { type, cid } };
  if (type === "auth") {
    const token = str(o, "token", /^[A-Za-z0-9._~+/=-]{1,8192}$/, 8192);
    return token ? { ok: true, frame: { type, token, cid } } : bad("token must be a string", cid);
  }
  if (type === "subscribe" || type === "unsubscribe") {
    const frame = parseTopicFrame(o, type, cid);
    return typeof frame === "string" ? bad(frame, cid) : { ok: true, frame };
  }
  if (type !== "join" && type !== "leave" && type !== "send" && type !== "delete" && type !== "mod") {
    return { ok: false, code: "UNKNOWN_TYPE", message: `unknown frame type`, cid };
  }
  const room = str(o, "room", ROOM_ID);
  if (!room) return bad("room must match [A-Za-z0-9_-]{1,64}", cid);
  switch (type) {
    case "join":
    case "leave":
      return { ok: true, frame: { type, room, cid } };
    case "send": {
      // No length cap here: the frame is at most maxPayloadBytes, and an over-long text must get
      // MESSAGE_TOO_LONG from the text checks rather than a BAD_FRAME that counts towards closing.
      const text = str(o, "text", undefined, Number.MAX_SAFE_INTEGER);
      if (text === undefined) return bad("text must be a string", cid);
      return { ok: true, frame: { type, room, text, cid } };
    }
    case "delete": {
      const messageId = str(o, "messageId", /^[A-Za-z0-9_-]{1,64}$/);
      if (!messageId) return bad("messageId is required", cid);
      return { ok: true, frame: { type, room, messageId, cid } };
    }
    case "mod": {
      const command = parseModCommand(o);
      if (typeof command === "string") return bad(command, cid);
      return { ok: true, frame: { type, room, command, cid } };
    }
  }
}

export function serializeFrame(frame: ServerFrame): string {
  return JSON.stringify(frame);
}
