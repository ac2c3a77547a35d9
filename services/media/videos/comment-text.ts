import sanitizeHtml from "sanitize-html";
import { compileBlockedTerms } from "../../../lib/moderation/blocked-terms";

export const COMMENT_MAX_LENGTH = 2000;

export type CommentTextCheck = { ok: true; text: string } | { ok: false; reason: "empty" | "too-long" | "blocked-term"; term?: string };

/**
 * Comments are plain text: every tag is stripped (its text kept), entities
 * decoded back so "&lt;" is not double-escaped on render, control characters
 * dropped, runs of blank lines collapsed. Renderers still escape on output.
 */
export function sanitizeCommentText(raw: string): string {
  const stripped = sanitizeHtml(raw, { allowedTags: [], allowedAttributes: {}, disallowedTagsMode: "discard" });
  const decoded = stripped.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
  return decoded
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** Sanitizes, then applies length and the channel's blocked terms (shared with chat). */
export function checkCommentText(raw: string, blockedTerms: readonly string[]): CommentTextCheck {
  const text = sanitizeCommentText(raw);
  if (!text) return { ok: false, reason: "empty" };
  if (text.length > COMMENT_MAX_LENGTH) return { ok: false, reason: "too-long" };
  const term = compileBlockedTerms(blockedTerms).match(text);
  if (term) return { ok: false, reason: "blocked-term", term };
  return { ok: true, text };
}
