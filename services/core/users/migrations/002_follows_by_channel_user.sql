-- Keyset pages of a channel's followers by user id (users.followerBatch):
-- notification fan-out reads every follower of a channel in pages that
-- resume after the last user id committed.
CREATE INDEX follows_channel_user_idx ON follows (channel_id, user_id);
