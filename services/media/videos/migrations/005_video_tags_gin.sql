-- The tag filter of GET /videos is `tags @> '["<tag>"]'` (the store's $contains):
-- a rare tag is found through this index and sorted, a common one by walking
-- the listing's own index; the planner picks from the column's statistics.
CREATE INDEX videos_tags_idx ON videos USING gin (tags jsonb_path_ops);
