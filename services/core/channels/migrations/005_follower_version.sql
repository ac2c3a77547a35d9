-- A per-channel counter bumped by the same UPDATE that moves follower_count
-- (follower-count.ts), carried with the absolute count in
-- channel.followers.changed. Counts go up and down, and the events reach
-- their consumers in any order or twice, so a consumer (search) keeps the
-- count with the highest version it has seen instead of trusting arrival
-- order. Written only by the service's own SQL: no field in the entity map.
ALTER TABLE channels ADD COLUMN follower_version bigint NOT NULL DEFAULT 0;
