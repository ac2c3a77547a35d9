-- The lexicon's trigram index (migrations/005) without GIN's pending list.
-- With fastupdate on (the default), words added after the index was built
-- (index-store.ts adds every new word as documents arrive) wait in an
-- unordered pending list until a vacuum or the 4 MB gin_pending_list_limit
-- merges them; every `term % word` lookup reads the whole list, and the
-- planner prices it in: on the 27.6k-word bench lexicon (221 pending pages)
-- the index scan was priced 960 against 628 for a scan of the table, so a
-- typo's correction read all of `terms` (~28 ms). Merged, the index scan is
-- priced 112 and costs ~0.2 ms. New words are few once a lexicon has grown,
-- so each one's trigrams now go straight into the index.
ALTER INDEX terms_trgm_idx SET (fastupdate = off);
SELECT gin_clean_pending_list('terms_trgm_idx'::regclass);
