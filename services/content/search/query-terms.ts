/**
 * Builds tsquery and tsvector text from tokens made of letters and digits
 * only (text-fold.ts): user input never reaches `to_tsquery` or a tsquery
 * cast as typed, so `'`, `&`, `|`, `!`, `:*`, `\` or NUL cannot change the
 * query's meaning or make it fail.
 */
import { MAX_TOKEN_LENGTH } from "./text-fold";

const SAFE_TOKEN = /^[\p{L}\p{N}]+$/u;

function lexeme(token: string): string {
  if (!SAFE_TOKEN.test(token) || token.length > MAX_TOKEN_LENGTH) throw new Error(`unsafe search token '${token}'`);
  return `'${token}'`;
}

/** A token as a tsquery word prefix (`'spee':*`); refuses anything but letters and digits. */
export function prefixLexeme(token: string): string {
  return `${lexeme(token)}:*`;
}

/** What one query matches, as tsquery text, plus the tokens that were typo-corrected. */
export interface QueryTerms {
  /** Every token as a whole word: the best match tier (title). */
  exact: string;
  /** Every token as a word prefix ("spee" finds "speedrun"). */
  prefix: string;
  /** Prefix, or one of the token's spelling corrections ("valornt" finds "valorant"). */
  full: string;
  /** Words the highlighter marks: the tokens and their corrections. */
  highlight: string[];
}

/** `corrections.get(token)`: lexicon words close to a token that matched nothing as a prefix. */
export function buildQueryTerms(tokens: string[], corrections: Map<string, string[]> = new Map()): QueryTerms | null {
  if (tokens.length === 0) return null;
  const exact = tokens.map(lexeme).join(" & ");
  const prefix = tokens.map(prefixLexeme).join(" & ");
  const full = tokens
    .map((t) => {
      const alternatives = (corrections.get(t) ?? []).filter((c) => c !== t);
      const own = prefixLexeme(t);
      return alternatives.length === 0 ? own : `(${[own, ...alternatives.map(lexeme)].join(" | ")})`;
    })
    .join(" & ");
  const highlight = [...new Set(tokens.flatMap((t) => [t, ...(corrections.get(t) ?? [])]))];
  return { exact, prefix, full, highlight };
}

/** A word as read from the lexicon, quoted for tsquery text (as search-statement.ts quotes it in SQL). */
export function quotedWord(word: string): string {
  return `'${word.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;
}

/**
 * The tsquery text search-statement.ts builds in SQL from the lexicon, built here from remembered lookups
 * (lexicon-memo.ts): every token as its few indexed words ('spee' → ('speed' | 'speedrun')) or as a prefix,
 * or one of its corrections.
 */
export function lexiconQuery(
  tokens: string[],
  lookups: Map<string, { alts: string[]; words: string[] }>,
  expand: number,
): string {
  return tokens
    .map((token) => {
      const { alts, words } = lookups.get(token) ?? { alts: [], words: [] };
      const own = words.length >= 1 && words.length <= expand ? words.map(quotedWord) : [prefixLexeme(token)];
      return `(${[...own, ...alts.map(quotedWord)].join(" | ")})`;
    })
    .join(" & ");
}

/** One weighted field of a document: its words, and the tsvector weight they get. */
export interface WeightedWords {
  words: string[];
  weight: "A" | "B" | "C" | "D";
}

/**
 * tsvector text with positions and weights, from the same tokenizer as the
 * queries (not the server's parser), so both sides agree on what a word is.
 */
export function buildTsvector(fields: WeightedWords[]): string {
  const parts: string[] = [];
  let position = 1;
  for (const field of fields) {
    for (const word of field.words) {
      if (position > 16383) break;
      parts.push(`${lexeme(word)}:${position}${field.weight}`);
      position++;
    }
    // A gap between fields keeps phrase-like proximity from spanning two of them.
    position += 10;
  }
  return parts.join(" ");
}
