-- A category page lists by popularity (web/src/pages/category.tsx): without
-- this, a small category walks the whole public popularity index to fill a page.
CREATE INDEX videos_public_category_popular_idx ON videos (category, view_count DESC, listed_at DESC, id)
  WHERE status = 'ready' AND visibility = 'public';
