-- Who blocked a user (users.blockRelations): search hides the channels and
-- content of everyone who blocked the searcher, read by the blocked side.
CREATE INDEX blocks_blocked_idx ON blocks (blocked_user_id);
