/**
 * Profile fields are plain text: script/style blocks go with their content,
 * other tags and control characters are stripped. Clients still escape on
 * render; this keeps stored data free of markup in the first place.
 */
export function plainText(value: string): string {
  return value
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, "")
    .replace(/<[^>]*>/g, "").replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, "").trim();
}
