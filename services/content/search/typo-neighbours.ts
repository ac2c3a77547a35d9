/**
 * The lexicon words one edit away from a query word (Damerau-Levenshtein
 * distance 1: one letter substituted, inserted, deleted, or two adjacent
 * letters swapped), found through the lexicon's deletions
 * (migrations/008_term_deletions.sql) on PostgreSQL and PGlite alike.
 *
 * With d(w, i) the word w without its letter at position i, a lexicon word
 * w is one edit from the query word q exactly when
 *   - w = d(q, i) for some i                      (q has a letter more),
 *   - q = d(w, j) for some j                      (q has a letter less),
 *   - d(q, i) = d(w, i)                           (a letter substituted), or
 *   - d(q, i) = d(w, i + 1) and q[i] = w[i + 1]    (q[i], q[i + 1] swapped).
 * (Equal deletions at adjacent positions otherwise leave two letters
 * different: "ab" and "bx" share "b" but are two edits apart, hence the
 * letter check.) So a word of n letters costs 2n + 1 primary-key probes, not
 * a scan of the lexicon, however large it grows.
 */

/**
 * SQL of rows (term, kind 1, sim) for the token bound as `t`: its neighbours one edit away, the `limit` most
 * similar by trigrams (the likelier meant), ties by the word. Positions count characters, as in the migration.
 */
export function oneEditSql(t: string, limit: string): string {
  const deletions = `(SELECT i, left(${t}, i) || substr(${t}, i + 2) AS variant, substr(${t}, i + 1, 1) AS letter
                        FROM generate_series(0, length(${t}) - 1) AS i)`;
  return `(SELECT e.term, 1 AS kind, similarity(e.term, ${t}) AS sim FROM (
             SELECT v.term FROM term_deletions v WHERE v.variant = ${t}
             UNION
             SELECT w.term FROM ${deletions} k JOIN terms w ON w.term = k.variant
             UNION
             SELECT v.term FROM ${deletions} k
               JOIN term_deletions v ON v.variant = k.variant AND v.pos BETWEEN k.i AND k.i + 1
              WHERE v.pos = k.i OR substr(v.term, v.pos + 1, 1) = k.letter) e
            WHERE e.term <> ${t}
            ORDER BY 3 DESC, 1 LIMIT ${limit})`;
}
