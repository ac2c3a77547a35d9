import sanitizeHtml from "sanitize-html";
import { compileBlockedTerms } from "../../../lib/moderation/blocked-terms";

export const COMMENT_MAX_LENGTH = 2000;

export type CommentTextCheck = { ok: true; text: string } | { ok: false; reason: "empty" | "too-long" | "blocked-term"; term?: string };

/**
 * User text is plain text: every tag is stripped (its text kept), entities
 * decoded back so "&lt;" is not double-escaped on render, control characters
 * dropped, runs of blank lines collapsed. Decoding can turn "&lt;script&gt;"
 * into markup, so passes repeat until the text is stable: what is stored
 * never contains a tag, and sanitizing it again (on render) changes nothing.
 * Renderers still escape on output.
 */
export function sanitizeCommentText(raw: string): string {
  let text = raw;
  for (let pass = 0; pass < 8; pass += 1) {
    const next = sanitizeOnce(text);
    if (next === text) return next;
    text = next;
  }
  // Nested encodings deeper than any real text: keep no angle brackets at all.
  return text.replace(/[<>]/g, "");
}

function sanitizeOnce(raw: string): string {
  const stripped = sanitizeHtml(raw, { allowedTags: [], allowedAttributes: {}, disallowedTagsMode: "discard" });
  const decoded = stripped.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
  return decoded
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

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
