import sanitizeHtml from "sanitize-html";

/**
 * User text that Arena stores as plain text (titles, bios, comments): every
 * tag is stripped (its text kept, script/style content dropped) by a real
 * HTML parser, so broken markup such as `<img src=x onerror=…` cannot slip
 * through; entities are decoded back so "&lt;" is not double-escaped on
 * render; control characters are dropped and runs of blank lines collapsed.
 * Decoding can turn "&lt;script&gt;" into markup, so passes repeat until the
 * text is stable: what is stored never contains a tag, and cleaning it again
 * (on render) changes nothing. Renderers still escape on output.
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
  return decoded
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
