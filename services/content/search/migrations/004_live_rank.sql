-- Rank order (live first, then popularity, then id): a broad query walks it
-- and tests each row, stopping once its page is full, instead of reading and
-- sorting every match (search-statement.ts).
CREATE INDEX documents_live_rank_idx ON documents (live DESC, popularity DESC, id) WHERE visible;
