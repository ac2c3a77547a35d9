-- One edit away (typo tolerance, search-statement.ts): every lexicon word
-- (`terms`) with one of its letters deleted, at which position. Two words
-- are within one substitution, insertion, deletion or adjacent swap of each
-- other exactly when one is the other with a letter deleted, or both give the
-- same deletion at the same position (substitution) or at adjacent positions
-- deleting the same letter (swap): a query word's own deletions, a handful of
-- primary-key probes, find its one-edit neighbours, on PostgreSQL and PGlite
-- alike (no fuzzystrmatch, which PGlite does not load here). Trigram
-- similarity alone missed them in short words: "tuor" and "tour" share one
-- trigram of nine. Rows are added with their word (index-store.ts) and, like
-- it, never removed. Positions and lengths count characters, as left() and
-- substr() do.
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
