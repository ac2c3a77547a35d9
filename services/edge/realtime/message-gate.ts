/**
 * Decides whether one chat message may be sent, from state already in
 * memory: the room's moderation state, the sender's role and follow date,
 * and the sender history. No I/O, so it runs per message at full speed.
 */
import {
  compileBlockedTerms,
  type BlockedTermMatcher,
  cleanChatText,
  isEmoteOnly,
  findLink,
  activeBan,
  isPrivileged,
  type RoomModerationState,
  type RoomRole,
} from "../../../lib/moderation";
import type { ErrorCode } from "./protocol";
import type { SenderHistory } from "./rate-limit";

export interface GateRoom {
  moderation: RoomModerationState;
  /** Compiled from moderation.blockedTerms whenever the state changes. */
  blockedTerms: BlockedTermMatcher;
  senders: SenderHistory;
}

export interface GateSender {
  userId: string;
  role: RoomRole;
  /** Epoch ms the user followed the channel, or null when not following. */
  followedAt: number | null;
}

export interface GateOptions {
  maxMessageChars: number;
  allowedLinkHosts: readonly string[];
}

export type GateVerdict =
  { ok: true; text: string } | { ok: false; code: ErrorCode; message: string; retryAfterMs?: number };

/** What duplicate suppression compares: case and invisible format characters (zero-width space...) do not make a message new. */
export function duplicateKey(text: string): string {
  return text.replace(/\p{Cf}+/gu, "").toLowerCase();
}

export function compileRoomTerms(state: RoomModerationState): BlockedTermMatcher {
  return compileBlockedTerms(state.blockedTerms);
}

const TEXT_PROBLEMS = { EMPTY: "EMPTY_MESSAGE", TOO_LONG: "MESSAGE_TOO_LONG", INVALID_TEXT: "INVALID_TEXT" } as const;

export function checkMessage(
  room: GateRoom,
  sender: GateSender,
  rawText: string,
  options: GateOptions,
  now: number,
): GateVerdict {
  const { moderation } = room;
  const { role } = sender;
  if (role === "anonymous") return { ok: false, code: "UNAUTHENTICATED", message: "Log in to chat" };
  const ban = activeBan(moderation, sender.userId, now);
  if (ban) {
    return ban.until === null
      ? { ok: false, code: "BANNED", message: "You are banned from this chat" }
      : { ok: false, code: "TIMED_OUT", message: "You are timed out", retryAfterMs: ban.until - now };
  }
  const privileged = isPrivileged(role);
  const { modes } = moderation;
  if (modes.followersOnly && !privileged && role !== "vip") {
    if (sender.followedAt === null)
      return { ok: false, code: "FOLLOWERS_ONLY", message: "Chat is in followers-only mode" };
    const waitMs = sender.followedAt + modes.minFollowAgeS * 1000 - now;
    if (waitMs > 0)
      return {
        ok: false,
        code: "FOLLOWERS_ONLY",
        message: "You have not followed long enough to chat",
        retryAfterMs: waitMs,
      };
  }
  const cleaned = cleanChatText(rawText, options.maxMessageChars);
  if (!cleaned.ok)
    return {
      ok: false,
      code: TEXT_PROBLEMS[cleaned.problem],
      message: `Message rejected: ${cleaned.problem.toLowerCase()}`,
    };
  const { text } = cleaned;
  if (modes.emoteOnly && !privileged && !isEmoteOnly(text))
    return { ok: false, code: "EMOTE_ONLY", message: "Chat is in emote-only mode" };
  // The broadcaster's own list applies to moderators too, but not to the broadcaster.
  if (role !== "broadcaster" && room.blockedTerms.match(text) !== null)
    return { ok: false, code: "BLOCKED_TERM", message: "Message contains a blocked term" };
  if (!modes.linksAllowed && !privileged && findLink(text, { allowedHosts: options.allowedLinkHosts }) !== null) {
    return { ok: false, code: "LINKS_NOT_ALLOWED", message: "Links are not allowed in this chat" };
  }
  const key = duplicateKey(text);
  if (modes.uniqueChat && !privileged) {
    const waitMs = room.senders.roomRepeatWaitMs(key, now);
    if (waitMs > 0)
      return {
        ok: false,
        code: "UNIQUE_CHAT",
        message: "Unique chat: this message was just sent in the room",
        retryAfterMs: Math.ceil(waitMs),
      };
  }
  const limit = room.senders.check(sender.userId, role, key, modes.slowModeS, now);
  if (!limit.ok) {
    const messages = {
      RATE_LIMITED: "You are sending messages too quickly",
      SLOW_MODE: "Slow mode is on",
      DUPLICATE: "Duplicate message",
    };
    return {
      ok: false,
      code: limit.code,
      message: messages[limit.code],
      retryAfterMs: Math.max(1, Math.ceil(limit.retryAfterMs)),
    };
  }
  room.senders.record(sender.userId, key, now);
  return { ok: true, text };
}
