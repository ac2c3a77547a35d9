-- Typo tolerance (search-statement.ts): the lexicon words one edit away from a
-- query word (Damerau-Levenshtein 1: a letter substituted, added, dropped, or
-- two adjacent letters swapped). Trigram similarity alone missed them in short
-- words: "tuor" and "tour" share one trigram of nine.
--
-- `term_deletions` holds every lexicon word (`terms`) with one of its letters
-- deleted, and at which position. With d(w, i) the word w without its letter
-- at i, a word w is one edit from the query word q exactly when
--   w = d(q, i) for some i                      (q has a letter more),
--   q = d(w, j) for some j                      (q has a letter less),
--   d(q, i) = d(w, i)                           (a letter substituted), or
--   d(q, i) = d(w, i + 1) and q[i] = w[i + 1]    (q[i], q[i + 1] swapped);
-- equal deletions at adjacent positions otherwise leave two letters different
-- ("ab" and "bx" share "b"), hence the letter check. So a word of n letters
-- costs 2n + 1 primary-key probes, however large the lexicon, on PostgreSQL and
-- PGlite alike (no fuzzystrmatch, which PGlite does not load here). Positions
-- count characters, as left() and substr() do. Rows are added with their word
-- (index-store.ts) and, like it, never removed.
CREATE TABLE term_deletions (
  variant text COLLATE "C" NOT NULL,
  pos     smallint NOT NULL,
  term    text COLLATE "C" NOT NULL,
  PRIMARY KEY (variant, pos, term)
);
INSERT INTO term_deletions (variant, pos, term)
  SELECT left(t.term, i) || substr(t.term, i + 2), i, t.term
    FROM terms t, generate_series(0, length(t.term) - 1) AS i
   ORDER BY 1, 2, 3;

-- The `lim` words one edit from `t`, the most similar by trigrams first (the
-- likelier meant), ties by the word. A PL/pgSQL function so that a connection
-- plans the lookup once: written inline, planning it cost every search
-- statement 0.3-0.6 ms more, even when no word needed correcting.
CREATE FUNCTION term_neighbours(t text, lim int) RETURNS TABLE (neighbour text, closeness real)
LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN QUERY
  SELECT e.term::text, similarity(e.term, t) FROM (
      SELECT v.term FROM term_deletions v WHERE v.variant = t
      UNION
      SELECT w.term FROM generate_series(0, length(t) - 1) AS i
        JOIN terms w ON w.term = left(t, i) || substr(t, i + 2)
      UNION
      SELECT v.term
        FROM (SELECT i, left(t, i) || substr(t, i + 2) AS variant, substr(t, i + 1, 1) AS letter
                FROM generate_series(0, length(t) - 1) AS i) k
        JOIN term_deletions v ON v.variant = k.variant AND v.pos BETWEEN k.i AND k.i + 1
       WHERE v.pos = k.i OR substr(v.term, v.pos + 1, 1) = k.letter) e
   WHERE e.term <> t
   ORDER BY 2 DESC, 1 LIMIT lim;
END
$$;
