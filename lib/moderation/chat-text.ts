/**
 * Shape checks every chat message passes before any moderation rule:
 * well-formed Unicode, none of the characters no user text may carry (the
 * one rule in lib/text: controls, bidi overrides and isolates, BOM, lone
 * surrogates), bounded length in code points.
 */
import { hasUnsafeChars } from "../text/plain-text";

export type ChatTextProblem = "EMPTY" | "TOO_LONG" | "INVALID_TEXT";

export type ChatTextResult = { ok: true; text: string } | { ok: false; problem: ChatTextProblem };

/** Trims, collapses runs of whitespace, and validates; the text returned is what gets stored and sent. */
export function cleanChatText(raw: string, maxCodePoints: number): ChatTextResult {
  // Refused, not stripped: a message is sent once, and the sender should see what was wrong with it.
  if (hasUnsafeChars(raw)) return { ok: false, problem: "INVALID_TEXT" };
  const text = raw.replace(/\s+/gu, " ").trim();
  if (!text) return { ok: false, problem: "EMPTY" };
  // Count code points, not UTF-16 units, so emoji are not charged double.
  let count = 0;
  for (const _ of text) {
    if (++count > maxCodePoints) return { ok: false, problem: "TOO_LONG" };
  }
  return { ok: true, text };
}

const EMOTE_TOKEN =
  /^(?::[a-z0-9_]{2,32}:|\p{Extended_Pictographic}(?:\u200d?\p{Extended_Pictographic}|[\u{1f3fb}-\u{1f3ff}\ufe0f])*)+$/iu;

/** True when every word is an emote code (`:name:`) or emoji, for emote-only mode. */
export function isEmoteOnly(text: string): boolean {
  return text.split(" ").every((word) => EMOTE_TOKEN.test(word));
}
