import sanitizeHtml from "sanitize-html";

/**
 * The one rule for user-supplied text. Every string a user gives Arena to
 * store and show others (names, titles, bios, categories, tags, comments,
 * reasons) goes through toPlainText (or toPlainTags); chat refuses, rather
 * than strips, the same unsafe characters (hasUnsafeChars) because a chat
 * message is sent once and never edited.
 */

/**
 * Characters no user text may carry: C0 and C1 controls (tab and newlines
 * aside), DEL, the bidi embeddings, overrides and isolates U+202A–202E and
 * U+2066–2069 (they flip how the text around them is displayed, so
 * "gpj.exe" can read "exe.jpg"), and the BOM.
 */
const UNSAFE_CHARS =
  "[\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\u202a-\\u202e\\u2066-\\u2069\\ufeff]";
/** Half a surrogate pair: not a character, and not encodable as UTF-8 (PostgreSQL refuses it). */
const LONE_SURROGATE = "[\\ud800-\\udbff](?![\\udc00-\\udfff])|(?<![\\ud800-\\udbff])[\\udc00-\\udfff]";

const UNSAFE_TEST = new RegExp(`${UNSAFE_CHARS}|${LONE_SURROGATE}`);
const UNSAFE_ALL = new RegExp(`${UNSAFE_CHARS}|${LONE_SURROGATE}`, "g");

/** True when the text holds a character no user text may carry (see UNSAFE_CHARS). */
export function hasUnsafeChars(text: string): boolean {
  return UNSAFE_TEST.test(text);
}

/** The text without the characters no user text may carry. */
export function stripUnsafeChars(text: string): string {
  return text.replace(UNSAFE_ALL, "");
}

/**
 * User text that Arena stores as plain text (titles, bios, comments): every
 * tag is stripped (its text kept, script/style content dropped) by a real
 * HTML parser, so broken markup such as `<img src=x onerror=…` cannot slip
 * through; entities are decoded back so "&lt;" is not double-escaped on
 * render; unsafe characters are dropped and runs of blank lines collapsed.
 * Decoding can turn "&lt;script&gt;" into markup (or "&#x202e;" into an
 * override), so passes repeat until the text is stable: what is stored never
 * contains a tag, and cleaning it again (on render) changes nothing.
 * Renderers still escape on output.
 */
export function toPlainText(raw: string): string {
  let text = raw;
  for (let pass = 0; pass < 8; pass += 1) {
    const next = cleanOnce(text);
    if (next === text) return next;
    text = next;
  }
  // Nested encodings deeper than any real text: keep no angle brackets at all.
  return text.replace(/[<>]/g, "");
}

function cleanOnce(raw: string): string {
  const stripped = sanitizeHtml(raw, { allowedTags: [], allowedAttributes: {}, disallowedTagsMode: "discard" });
  const decoded = stripped
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&");
  return stripUnsafeChars(decoded)
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/**
 * A tag (channel, video, post): plain text, lower-cased, each run of
 * whitespace one hyphen, so "Open World" and "open-world" are one tag. Also
 * what a tag filter is normalised with, so the filter finds what was stored.
 */
export function toPlainTag(raw: string): string {
  return toPlainText(raw).toLowerCase().replace(/\s+/g, "-");
}

/** Tags as people type them: each through toPlainTag, empties dropped, de-duplicated in the order given. */
export function toPlainTags(tags: readonly string[] | undefined): string[] {
  return [...new Set((tags ?? []).map(toPlainTag).filter(Boolean))];
}
