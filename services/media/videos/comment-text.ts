import { toPlainText } from "../../../lib/text/plain-text";
import { compileBlockedTerms } from "../../../lib/moderation";

export const COMMENT_MAX_LENGTH = 2000;

export type CommentTextCheck =
  { ok: true; text: string } | { ok: false; reason: "empty" | "too-long" | "blocked-term"; term?: string };

/** Comments are plain text (lib/text/plain-text.ts). */
export const sanitizeCommentText = toPlainText;

/** Titles and descriptions: the same plain-text rules as comments. */
export const sanitizePlainText = sanitizeCommentText;

/** Sanitizes, then applies length and the channel's blocked terms (shared with chat). */
export function checkCommentText(raw: string, blockedTerms: readonly string[]): CommentTextCheck {
  const text = sanitizeCommentText(raw);
  if (!text) return { ok: false, reason: "empty" };
  if (text.length > COMMENT_MAX_LENGTH) return { ok: false, reason: "too-long" };
  const term = compileBlockedTerms(blockedTerms).match(text);
  if (term) return { ok: false, reason: "blocked-term", term };
  return { ok: true, text };
}
