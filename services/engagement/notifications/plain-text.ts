/**
 * Notification text that carries user content (titles, comment bodies) is
 * plain text: control and bidi-override characters removed, whitespace
 * collapsed, clipped on a code point boundary. Clients render it as text.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

export function plainText(value: string | null | undefined, maxChars: number): string {
  if (!value) return "";
  const cleaned = value.replace(UNSAFE, " ").replace(/\s+/g, " ").trim();
  const chars = Array.from(cleaned);
  return chars.length <= maxChars ? cleaned : `${chars.slice(0, maxChars - 1).join("")}…`;
}
