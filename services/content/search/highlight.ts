/**
 * Plain-text highlights: the text as stored (never HTML) and the ranges of
 * it that matched, as UTF-16 offsets a client can wrap in its own markup
 * (escaping the text itself). Matching works on folded text; offsets point
 * into the original, accents and all.
 */
import { foldWithOffsets } from "./text-fold";

export interface TextMatch {
  start: number;
  length: number;
}

export interface Highlighted {
  text: string;
  matches: TextMatch[];
}

const WORD = /[\p{L}\p{N}]+/gu;

/** Ranges of `text` whose words start with one of `terms` (folded words); the matched prefix is marked. */
export function findMatches(text: string, terms: string[]): TextMatch[] {
  if (terms.length === 0 || text.length === 0) return [];
  const { folded, origin } = foldWithOffsets(text);
  const matches: TextMatch[] = [];
  const sorted = [...terms].sort((a, b) => b.length - a.length);
  for (const m of folded.matchAll(WORD)) {
    const word = m[0];
    const term = sorted.find((t) => word.startsWith(t));
    if (!term) continue;
    const from = m.index;
    const to = from + term.length;
    const start = origin[from] as number;
    const end = originalEnd(origin, to);
    if (end > start) matches.push({ start, length: end - start });
  }
  return matches;
}

/** The original offset just after folded index `to - 1` (a folded run of one original character ends with it). */
function originalEnd(origin: number[], to: number): number {
  const last = origin[to - 1] as number;
  for (let i = to; i < origin.length; i++) if ((origin[i] as number) > last) return origin[i] as number;
  return origin[origin.length - 1] as number;
}

/**
 * A window of `text` around its first match (or its start), at most
 * `maxLength` characters, cut at word boundaries, with the matches in it.
 */
export function snippet(text: string, terms: string[], maxLength = 160): Highlighted | null {
  const clean = text.replace(/\s+/g, " ").trim();
  if (!clean) return null;
  const all = findMatches(clean, terms);
  let from = 0;
  const first = all[0];
  if (first && first.start + first.length > maxLength) {
    from = Math.max(0, first.start - Math.floor(maxLength / 3));
    const space = clean.lastIndexOf(" ", from);
    from = space >= 0 && from - space < 20 ? space + 1 : from;
  }
  let to = Math.min(clean.length, from + maxLength);
  if (to < clean.length) {
    const space = clean.lastIndexOf(" ", to);
    if (space > from + maxLength / 2) to = space;
  }
  const lead = from > 0 ? "…" : "";
  const tail = to < clean.length ? "…" : "";
  const body = clean.slice(from, to);
  const matches = all
    .filter((m) => m.start >= from && m.start + m.length <= to)
    .map((m) => ({ start: m.start - from + lead.length, length: m.length }));
  return { text: `${lead}${body}${tail}`, matches };
}
