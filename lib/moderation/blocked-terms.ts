/**
 * Blocked terms for chat (and VOD comments): a channel lists words or
 * phrases; a message containing one is refused. Matching works on a
 * normalized form so trivial evasions (case, accents, full-width letters,
 * common digit-for-letter swaps, repeated separators) do not get through.
 * A term ending in `*` matches any word starting with it.
 */

const LEET: Record<string, string> = { "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", $: "s" };

/** Lower case, NFKD without combining marks or invisible format characters, leetspeak folded, separators collapsed to one space. */
export function normalizeForMatching(text: string): string {
  const folded = text
    .normalize("NFKD")
    // Invisible format characters (zero-width space/joiners, soft hyphen, word joiner) would split a word.
    .replace(/[\p{M}\p{Cf}]+/gu, "")
    .toLowerCase()
    .replace(/[0134357@$]/g, (ch) => LEET[ch] ?? ch);
  return folded.replace(/[^\p{L}\p{N}]+/gu, " ").trim();
}

export interface BlockedTermMatcher {
  /** The configured term that matched, or null. */
  match(text: string): string | null;
  readonly size: number;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Builds one regular expression for all terms so checking a message is a
 * single scan whatever the list length; built once per list change, not per message.
 */
export function compileBlockedTerms(terms: readonly string[]): BlockedTermMatcher {
  const entries: { term: string; pattern: string }[] = [];
  for (const term of terms) {
    const prefix = term.trim().endsWith("*");
    const normalized = normalizeForMatching(term.replace(/\*+\s*$/, ""));
    if (!normalized) continue;
    const body = normalized.split(" ").map(escapeRegExp).join(" ");
    entries.push({ term, pattern: prefix ? `${body}[\\p{L}\\p{N}]*` : body });
  }
  if (entries.length === 0) return { match: () => null, size: 0 };
  // Named groups cannot be indexed dynamically, so each term gets a numbered group.
  const regex = new RegExp(`(?:^| )(?:${entries.map((e) => `(${e.pattern})`).join("|")})(?= |$)`, "u");
  return {
    size: entries.length,
    match(text: string): string | null {
      const found = regex.exec(normalizeForMatching(text));
      if (!found) return null;
      const index = found.slice(1).findIndex((g) => g !== undefined);
      return entries[index]?.term ?? null;
    },
  };
}

/** One-off check; prefer compileBlockedTerms when the same list is used repeatedly. */
export function findBlockedTerm(text: string, terms: readonly string[]): string | null {
  return compileBlockedTerms(terms).match(text);
}

/** Validates and de-duplicates a term list an owner submits. */
export function cleanTermList(terms: readonly string[], maxTerms = 500, maxTermLength = 100): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of terms) {
    const term = raw.trim();
    if (!term || term.length > maxTermLength) continue;
    const key = normalizeForMatching(term) + (term.endsWith("*") ? "*" : "");
    if (!normalizeForMatching(term) || seen.has(key)) continue;
    seen.add(key);
    out.push(term);
    if (out.length >= maxTerms) break;
  }
  return out;
}
