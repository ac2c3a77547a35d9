/**
 * A chat room's moderation state and the pure rules that change it. The chat
 * service stores it durably and broadcasts it; every realtime node keeps a
 * copy in memory and enforces it without a call per message.
 */
import { isPrivileged, type RoomRole } from "./chat-policy";

export interface RoomModes {
  /** Seconds a non-privileged user waits between messages; 0 is off. */
  slowModeS: number;
  followersOnly: boolean;
  /** With followersOnly: how long the user must have followed. */
  minFollowAgeS: number;
  /**
   * Unique chat: a message identical (case and invisible characters aside) to
   * one anyone sent in the room within the last 30 s is refused.
   */
  uniqueChat: boolean;
  emoteOnly: boolean;
  linksAllowed: boolean;
}

export interface RoomBan {
  /** Epoch ms when a timeout ends; null for a permanent ban. */
  until: number | null;
  reason?: string;
  byUserId: string;
  at: number;
}

export interface RoomModerationState {
  channelId: string;
  modes: RoomModes;
  bans: Record<string, RoomBan>;
  blockedTerms: string[];
  /** Increases on every change so a node can ignore a stale broadcast. */
  version: number;
}

export type ModCommand =
  | { action: "ban"; userId: string; reason?: string }
  | { action: "unban"; userId: string }
  | { action: "timeout"; userId: string; durationS: number; reason?: string }
  | { action: "untimeout"; userId: string }
  | { action: "slow"; seconds: number }
  | { action: "followersOnly"; enabled: boolean; minFollowAgeS?: number }
  | { action: "uniqueChat"; enabled: boolean }
  | { action: "emoteOnly"; enabled: boolean }
  | { action: "links"; allowed: boolean }
  | { action: "blockTerm"; term: string }
  | { action: "unblockTerm"; term: string };

export type ModAction = ModCommand["action"];

export interface ModChange {
  action: ModAction;
  userId?: string;
  until?: number | null;
}

export const DEFAULT_MODES: RoomModes = {
  slowModeS: 0,
  followersOnly: false,
  minFollowAgeS: 0,
  uniqueChat: false,
  emoteOnly: false,
  linksAllowed: true,
};

export function emptyModeration(channelId: string): RoomModerationState {
  return { channelId, modes: { ...DEFAULT_MODES }, bans: {}, blockedTerms: [], version: 0 };
}

/**
 * Who may run a command against whom. Nobody bans or times out the
 * broadcaster; moderators cannot act on other moderators or admins.
 */
export function authorizeModCommand(
  actor: RoomRole,
  command: ModCommand,
  target: RoomRole | null,
): { ok: true } | { ok: false; reason: string } {
  if (!isPrivileged(actor)) return { ok: false, reason: "Only the broadcaster and moderators can moderate this room" };
  if (target === null) return { ok: true };
  if (target === "broadcaster") return { ok: false, reason: "The channel owner cannot be banned or timed out" };
  if (actor === "moderator" && (target === "moderator" || target === "admin")) {
    return {
      ok: false,
      reason:
        target === "admin"
          ? "Moderators cannot ban or time out a site admin"
          : "Moderators cannot act on other moderators",
    };
  }
  void command;
  return { ok: true };
}

/** Bounds the pattern every message is scanned with, however many terms moderators add. */
export const MAX_BLOCKED_TERMS = 500;

/** Why a command cannot apply to this state, or null when it can. */
export function modCommandProblem(state: RoomModerationState, command: ModCommand): string | null {
  if (command.action !== "blockTerm" || state.blockedTerms.length < MAX_BLOCKED_TERMS) return null;
  const term = command.term.trim().toLowerCase();
  if (state.blockedTerms.some((t) => t.toLowerCase() === term)) return null;
  return `A room can block at most ${MAX_BLOCKED_TERMS} terms; unblock some first`;
}

/** The user a command targets, if any. */
export function commandTarget(command: ModCommand): string | null {
  return "userId" in command ? command.userId : null;
}

/** Applies a command; returns the next state (a copy) and what changed. */
export function applyModCommand(
  state: RoomModerationState,
  command: ModCommand,
  actorId: string,
  now: number,
): { state: RoomModerationState; change: ModChange } {
  const next: RoomModerationState = {
    ...state,
    modes: { ...state.modes },
    bans: { ...state.bans },
    blockedTerms: [...state.blockedTerms],
    version: state.version + 1,
  };
  switch (command.action) {
    case "ban":
      next.bans[command.userId] = { until: null, reason: command.reason, byUserId: actorId, at: now };
      return { state: next, change: { action: "ban", userId: command.userId, until: null } };
    case "timeout": {
      const until = now + command.durationS * 1000;
      next.bans[command.userId] = { until, reason: command.reason, byUserId: actorId, at: now };
      return { state: next, change: { action: "timeout", userId: command.userId, until } };
    }
    case "unban":
    case "untimeout":
      delete next.bans[command.userId];
      return { state: next, change: { action: command.action, userId: command.userId } };
    case "slow":
      next.modes.slowModeS = command.seconds;
      break;
    case "followersOnly":
      next.modes.followersOnly = command.enabled;
      next.modes.minFollowAgeS = command.minFollowAgeS ?? 0;
      break;
    case "uniqueChat":
      next.modes.uniqueChat = command.enabled;
      break;
    case "emoteOnly":
      next.modes.emoteOnly = command.enabled;
      break;
    case "links":
      next.modes.linksAllowed = command.allowed;
      break;
    case "blockTerm":
      if (!next.blockedTerms.some((t) => t.toLowerCase() === command.term.trim().toLowerCase()))
        next.blockedTerms.push(command.term.trim());
      break;
    case "unblockTerm":
      next.blockedTerms = next.blockedTerms.filter((t) => t.toLowerCase() !== command.term.trim().toLowerCase());
      break;
  }
  return { state: next, change: { action: command.action } };
}

/**
 * Exactly the modes of today's protocol: one stored before a mode existed
 * gets its default, and a mode that was removed (subscribersOnly: Arena has
 * no subscriptions) is dropped.
 */
export function currentModes(stored: Partial<RoomModes>): RoomModes {
  const modes = { ...DEFAULT_MODES };
  for (const key of Object.keys(DEFAULT_MODES) as Array<keyof RoomModes>) {
    const value: unknown = stored[key];
    if (typeof value === typeof DEFAULT_MODES[key]) (modes as Record<string, unknown>)[key] = value;
  }
  return modes;
}

/** Drops expired timeouts so stored state does not grow forever (and brings the modes to the current set). */
export function pruneExpiredBans(state: RoomModerationState, now: number): RoomModerationState {
  const bans: Record<string, RoomBan> = {};
  for (const [userId, ban] of Object.entries(state.bans)) if (ban.until === null || ban.until > now) bans[userId] = ban;
  return { ...state, modes: currentModes(state.modes), bans };
}

/** The active ban or timeout of a user, if any. */
export function activeBan(state: RoomModerationState, userId: string, now: number): RoomBan | null {
  const ban = state.bans[userId];
  if (!ban) return null;
  return ban.until === null || ban.until > now ? ban : null;
}
