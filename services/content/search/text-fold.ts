/**
 * Accent- and case-folding, done here rather than with the `unaccent`
 * extension so the index and the queries fold identically on PostgreSQL and
 * on embedded PGlite (and so highlights can map folded offsets back to the
 * original text). "Pokémon" → "pokemon", "Straße" → "strasse".
 */

/** Characters NFKD does not decompose into a base letter plus marks. */
const SPECIAL: Record<string, string> = {
  ß: "ss",
  æ: "ae",
  œ: "oe",
  ø: "o",
  đ: "d",
  ð: "d",
  þ: "th",
  ł: "l",
  ı: "i",
};

const MARKS = /\p{M}/gu;

/** The folded form of one code point (possibly empty or longer than one character). */
export function foldChar(ch: string): string {
  const lower = ch.toLowerCase();
  return SPECIAL[lower] ?? lower.normalize("NFKD").replace(MARKS, "").toLowerCase();
}

/** Text whose folding is plain lower-casing, one character for one (most titles and descriptions). */
const ASCII = /^[\x00-\x7f]*$/;

export function fold(text: string): string {
  if (ASCII.test(text)) return text.toLowerCase();
  let out = "";
  for (const ch of text) out += foldChar(ch);
  return out;
}

/** The folded text and, for every folded UTF-16 index, the index of the original character it came from. */
export interface FoldedText {
  folded: string;
  /** origin[i] = start of the original character that produced folded[i]; origin[folded.length] = text.length. */
  origin: number[];
}

export function foldWithOffsets(text: string): FoldedText {
  // Highlights fold every hit's title and description: ASCII skips the per-character normalization.
  if (ASCII.test(text))
    return { folded: text.toLowerCase(), origin: Array.from({ length: text.length + 1 }, (_, i) => i) };
  let folded = "";
  const origin: number[] = [];
  let at = 0;
  for (const ch of text) {
    const f = foldChar(ch);
    folded += f;
    for (let i = 0; i < f.length; i++) origin.push(at);
    at += ch.length;
  }
  origin.push(text.length);
  return { folded, origin };
}

/** A word of folded text: letters and digits. Everything else separates words (and never reaches SQL). */
const WORD = /[\p{L}\p{N}]+/gu;

/** Longest token kept; longer ones are cut (no real word is this long, and tsvector lexemes have a limit). */
export const MAX_TOKEN_LENGTH = 40;
/** Tokens of one query beyond this are ignored. */
export const MAX_QUERY_TOKENS = 8;

/** The words of a (folded) text, in order, duplicates kept. */
export function words(folded: string): string[] {
  return (folded.match(WORD) ?? []).map((w) => w.slice(0, MAX_TOKEN_LENGTH));
}

/** Query tokens: folded words, first occurrence only, at most MAX_QUERY_TOKENS. */
export function queryTokens(q: string): string[] {
  const seen = new Set<string>();
  for (const w of words(fold(q))) {
    if (seen.size >= MAX_QUERY_TOKENS) break;
    seen.add(w);
  }
  return [...seen];
}
