-- The lexicon's version is the sum of 32 counters, no longer one row: a
-- transaction that adds a word bumps whichever counter no other transaction
-- holds (index-store.ts, FOR UPDATE SKIP LOCKED), so concurrent indexers
-- adding words no longer queue on one row lock until each other's commit
-- (bench:search --indexers, docs/benchmarks.md). Every counter only grows
-- and every word-adding transaction bumps one, so two snapshots that read
-- the same sum saw the same word-adding transactions, hence the same
-- lexicon: the sum does what the single generation did for the memo
-- (lexicon-memo.ts). The existing generation stays in row 1, so the sum
-- goes on from it.
ALTER TABLE lexicon DROP CONSTRAINT lexicon_id_check;
ALTER TABLE lexicon ADD CONSTRAINT lexicon_id_check CHECK (id BETWEEN 1 AND 32);
INSERT INTO lexicon (id, generation) SELECT s, 0 FROM generate_series(2, 32) AS s;
