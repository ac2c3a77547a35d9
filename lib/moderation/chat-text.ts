/**
 * Shape checks every chat message passes before any moderation rule:
 * well-formed Unicode (no lone surrogates, which cannot be encoded as UTF-8),
 * no control characters except none at all, bounded length in code points.
 */

export type ChatTextProblem = "EMPTY" | "TOO_LONG" | "INVALID_TEXT";

export type ChatTextResult = { ok: true; text: string } | { ok: false; problem: ChatTextProblem };

// C0/C1 controls (tab and newlines are folded to spaces instead), DEL, bidi overrides/isolates (used to spoof text direction), BOM.
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufeff]/u;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Trims, collapses runs of whitespace, and validates; the text returned is what gets stored and sent. */
export function cleanChatText(raw: string, maxCodePoints: number): ChatTextResult {
  if (LONE_SURROGATE.test(raw)) return { ok: false, problem: "INVALID_TEXT" };
  if (FORBIDDEN.test(raw)) return { ok: false, problem: "INVALID_TEXT" };
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
