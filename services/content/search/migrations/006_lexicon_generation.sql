-- The lexicon's generation: bumped by every transaction that adds a word to
-- `words` or `terms` (index-store.ts), in that transaction. Two snapshots that
-- read the same generation see the same lexicon, so a search node may reuse a
-- word's corrections and prefix expansion computed under that generation
-- (lexicon-memo.ts) and, reading the generation in the same statement as the
-- documents, knows when it may not.
CREATE TABLE lexicon (
  id integer PRIMARY KEY CHECK (id = 1),
  generation bigint NOT NULL
);
INSERT INTO lexicon (id, generation) VALUES (1, 0);
