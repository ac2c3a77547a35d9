-- GET /videos pages by keyset (cursor) on listed_at: the publication time
-- once published, the creation time before. published_at cannot be the key:
-- drafts have none, and a keyset needs a key that is never NULL.
-- Truncated to milliseconds like every timestamp the store writes, so a
-- cursor (an ISO string with milliseconds) compares exactly.
ALTER TABLE videos ADD COLUMN listed_at timestamptz;
UPDATE videos SET listed_at = date_trunc('milliseconds', COALESCE(published_at, created_at));
ALTER TABLE videos ALTER COLUMN listed_at SET NOT NULL;

-- One index per listing shape, each in its sort's order (id last, ascending):
-- a channel's public listing, an owner's whole channel, the public catalogue
-- newest/oldest and popular, and a category page.
DROP INDEX videos_channel_listing_idx;
DROP INDEX videos_public_listing_idx;
CREATE INDEX videos_channel_listing_idx ON videos (channel_id, status, visibility, listed_at DESC, id);
CREATE INDEX videos_channel_all_idx ON videos (channel_id, listed_at DESC, id);
CREATE INDEX videos_public_listing_idx ON videos (listed_at DESC, id) WHERE status = 'ready' AND visibility = 'public';
CREATE INDEX videos_public_popular_idx ON videos (view_count DESC, listed_at DESC, id)
  WHERE status = 'ready' AND visibility = 'public';
CREATE INDEX videos_public_category_idx ON videos (category, listed_at DESC, id)
  WHERE status = 'ready' AND visibility = 'public';
