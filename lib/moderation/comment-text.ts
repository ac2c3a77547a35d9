import { toPlainText } from "../text/plain-text";
import { compileBlockedTerms } from "./blocked-terms";

/**
 * The one rule for comments anywhere (VOD, blog): plain text, bounded length,
 * and the channel's blocked terms, the same list and matcher chat uses.
 */
export const COMMENT_MAX_LENGTH = 2000;

export type CommentTextCheck =
  { ok: true; text: string } | { ok: false; reason: "empty" | "too-long" | "blocked-term"; term?: string };

/** Comments are plain text (lib/text/plain-text.ts). */
export const sanitizeCommentText = toPlainText;

/** Titles and descriptions: the same plain-text rules as comments. */
export const sanitizePlainText = sanitizeCommentText;

/** Sanitizes, then applies length and the channel's blocked terms (shared with chat). */
export function checkCommentText(
  raw: string,
  blockedTerms: readonly string[],
  maxLength = COMMENT_MAX_LENGTH,
): CommentTextCheck {
  const text = sanitizeCommentText(raw);
  if (!text) return { ok: false, reason: "empty" };
  if (text.length > maxLength) return { ok: false, reason: "too-long" };
  const term = compileBlockedTerms(blockedTerms).match(text);
  if (term) return { ok: false, reason: "blocked-term", term };
  return { ok: true, text };
}

/** What a refused comment is told, per reason (one wording for every service). */
export const COMMENT_REFUSAL_MESSAGES: Record<Exclude<CommentTextCheck, { ok: true }>["reason"], string> = {
  empty: "The comment is empty",
  "too-long": "The comment is too long",
  "blocked-term": "The comment contains a term this channel blocks",
};
