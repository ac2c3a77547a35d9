/**
 * Per user per room sending limits, Twitch-like: a sliding window of sent
 * message times (20 per 30 s for viewers, 100 for the broadcaster and
 * moderators), slow mode, and duplicate suppression. Kept in the gateway's
 * memory; messages accepted by other nodes are recorded too as they arrive
 * on the room's subject (remote-sends.ts), so the limit follows a
 * user connected to several nodes.
 */
import { type RoomRole, isPrivileged } from "../../../lib/moderation";

export interface SendLimits {
  windowMs: number;
  viewerMax: number;
  privilegedMax: number;
  /** Identical text from the same user within this window is refused. */
  duplicateWindowMs: number;
  /** Unique-chat mode: identical text from anyone in the room within this window is refused (default 30 s). */
  uniqueWindowMs?: number;
  /** Texts remembered per room for unique chat, oldest forgotten first (default 20 000). */
  uniqueMaxTexts?: number;
}

export const DEFAULT_SEND_LIMITS: SendLimits = {
  windowMs: 30000,
  viewerMax: 20,
  privilegedMax: 100,
  duplicateWindowMs: 30000,
  uniqueWindowMs: 30000,
  uniqueMaxTexts: 20000,
};

interface SenderRecord {
  /** Send times inside the window, oldest first. */
  sentAt: number[];
  lastText: string;
  lastTextAt: number;
}

export type LimitVerdict =
  { ok: true } | { ok: false; code: "RATE_LIMITED" | "SLOW_MODE" | "DUPLICATE"; retryAfterMs: number };

export class SenderHistory {
  private readonly senders = new Map<string, SenderRecord>();
  /**
   * Room-wide: duplicate key of each text sent recently → when, oldest first
   * (re-sent texts move to the end). Fed by this node's accepted messages and
   * by other nodes' from the room's subject, like the per-sender records.
   */
  private readonly roomTexts = new Map<string, number>();
  private readonly uniqueWindowMs: number;
  private readonly uniqueMaxTexts: number;

  constructor(private readonly limits: SendLimits = DEFAULT_SEND_LIMITS) {
    this.uniqueWindowMs = limits.uniqueWindowMs ?? 30000;
    this.uniqueMaxTexts = limits.uniqueMaxTexts ?? 20000;
  }

  /** Checks without recording, so a message refused later for another reason costs nothing. */
  check(key: string, role: RoomRole, text: string, slowModeS: number, now: number): LimitVerdict {
    const rec = this.senders.get(key);
    if (!rec) return { ok: true };
    const privileged = isPrivileged(role);
    const { windowMs } = this.limits;
    while (rec.sentAt.length > 0 && (rec.sentAt[0] as number) <= now - windowMs) rec.sentAt.shift();
    const max = privileged ? this.limits.privilegedMax : this.limits.viewerMax;
    if (rec.sentAt.length >= max)
      return { ok: false, code: "RATE_LIMITED", retryAfterMs: (rec.sentAt[0] as number) + windowMs - now };
    if (!privileged && role !== "vip" && slowModeS > 0) {
      const last = rec.sentAt[rec.sentAt.length - 1];
      if (last !== undefined && now - last < slowModeS * 1000)
        return { ok: false, code: "SLOW_MODE", retryAfterMs: last + slowModeS * 1000 - now };
    }
    if (!privileged && rec.lastText === text && now - rec.lastTextAt < this.limits.duplicateWindowMs) {
      return { ok: false, code: "DUPLICATE", retryAfterMs: rec.lastTextAt + this.limits.duplicateWindowMs - now };
    }
    return { ok: true };
  }

  /** Unique chat: ms until `text` may be sent in the room again, 0 when it may now. */
  roomRepeatWaitMs(text: string, now: number): number {
    const at = this.roomTexts.get(text);
    return at === undefined ? 0 : Math.max(0, at + this.uniqueWindowMs - now);
  }

  record(key: string, text: string, now: number): void {
    this.roomTexts.delete(text);
    this.roomTexts.set(text, now);
    if (this.roomTexts.size > this.uniqueMaxTexts) {
      const oldest = this.roomTexts.keys().next().value;
      if (oldest !== undefined) this.roomTexts.delete(oldest);
    }
    let rec = this.senders.get(key);
    if (!rec) {
      rec = { sentAt: [], lastText: "", lastTextAt: 0 };
      this.senders.set(key, rec);
    }
    rec.sentAt.push(now);
    rec.lastText = text;
    rec.lastTextAt = now;
  }

  /** Forgets senders idle for longer than every window, bounding memory. */
  sweep(now: number): void {
    for (const [text, at] of this.roomTexts) {
      if (now - at <= this.uniqueWindowMs) break;
      this.roomTexts.delete(text);
    }
    const horizon = Math.max(this.limits.windowMs, this.limits.duplicateWindowMs, 120000);
    for (const [key, rec] of this.senders) {
      const last = rec.sentAt[rec.sentAt.length - 1] ?? 0;
      if (now - Math.max(last, rec.lastTextAt) > horizon) this.senders.delete(key);
    }
  }

  get size(): number {
    return this.senders.size;
  }
}

/** A fixed-window counter for connection-level limits (frames per second per socket, upgrades per IP). */
export class CountLimiter {
  private readonly counts = new Map<string, number>();

  constructor(private readonly max: number) {}

  acquire(key: string): boolean {
    const n = this.counts.get(key) ?? 0;
    if (n >= this.max) return false;
    this.counts.set(key, n + 1);
    return true;
  }

  release(key: string): void {
    const n = this.counts.get(key) ?? 0;
    if (n <= 1) this.counts.delete(key);
    else this.counts.set(key, n - 1);
  }

  count(key: string): number {
    return this.counts.get(key) ?? 0;
  }
}
