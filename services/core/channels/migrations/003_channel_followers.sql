-- Who follows each channel, as channel.followed / channel.unfollowed told
-- the channels service (the users service owns follows). follower_count is
-- kept equal to the number of rows here, in the same transaction as the row
-- change: a follow counts once however often it is delivered, an unfollow
-- only takes away a follow that was counted, and the ordered handlers skip
-- an event older than one already applied for the same follow. The count
-- converges whatever order the two event types arrive in.
CREATE TABLE channel_followers (
  channel_id  text NOT NULL,
  user_id     text NOT NULL,
  followed_at timestamptz NOT NULL,
  PRIMARY KEY (channel_id, user_id)
);

-- Existing installs: start from the follows the users service holds (same
-- database in every supported setup) and recount, which also repairs counts
-- that drifted before this fix. Skipped when users lives elsewhere.
DO $$
BEGIN
  IF to_regclass('users.follows') IS NOT NULL THEN
    INSERT INTO channel_followers (channel_id, user_id, followed_at)
      SELECT channel_id, user_id, created_at FROM users.follows
      ON CONFLICT DO NOTHING;
    UPDATE channels c
      SET follower_count = (SELECT count(*) FROM channel_followers f WHERE f.channel_id = c.id);
  END IF;
END
$$;
