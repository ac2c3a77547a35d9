/**
 * What the lexicon says about a query word (its spelling corrections and the
 * indexed words it is a prefix of), kept per search node so a word asked
 * again costs the statement no lexicon lookups (on the bench corpus those
 * lookups were about half the statement's planning and a tenth of its
 * execution). Exact, not a TTL: entries belong to one lexicon generation
 * (the sum of migrations/007's counters, one of them bumped in the
 * transaction that adds a word), every search
 * statement reads the generation in its own snapshot, and an answer read
 * under another generation than the entries it used is thrown away and
 * asked again with fresh lookups (search-query.ts). Settings that change
 * what a lookup returns start a new memo too.
 */

export interface WordLookup {
  /** Lexicon words replacing a word no indexed word starts with (most similar first). */
  alts: string[];
  /** The first indexed words the word is a prefix of (at most prefixExpansion + 1, in order). */
  words: string[];
}

export class LexiconMemo {
  private generation: string | null = null;
  private fingerprint = "";
  private readonly entries = new Map<string, WordLookup>();

  constructor(private readonly maxEntries: number) {}

  /** Every token's lookup under the memo's generation, or null when one is missing. */
  lookups(tokens: string[], fingerprint: string): { generation: string; known: Map<string, WordLookup> } | null {
    if (this.generation === null || fingerprint !== this.fingerprint || tokens.length === 0) return null;
    const known = new Map<string, WordLookup>();
    for (const token of tokens) {
      const entry = this.entries.get(token);
      if (!entry) return null;
      known.set(token, entry);
    }
    return { generation: this.generation, known };
  }

  /** Lookups a statement made under `generation`; a generation or settings not the memo's start it anew. */
  remember(generation: string, fingerprint: string, found: Array<[token: string, lookup: WordLookup]>): void {
    if (generation !== this.generation || fingerprint !== this.fingerprint) {
      this.entries.clear();
      this.generation = generation;
      this.fingerprint = fingerprint;
    }
    for (const [token, lookup] of found) {
      if (this.entries.size >= this.maxEntries && !this.entries.has(token)) {
        // The oldest goes (insertion order); a word that stays popular is soon asked again.
        const oldest = this.entries.keys().next().value;
        if (oldest !== undefined) this.entries.delete(oldest);
      }
      this.entries.set(token, lookup);
    }
  }

  /** A statement read another generation: nothing here is current. */
  forget(): void {
    this.entries.clear();
    this.generation = null;
  }
}
