-- Dashboard reads from the rollups.
--
-- rollup_generation: bumped by every rollup run that changed rollup rows (and
-- by pruning), on any node. The dashboards' read cache (rollup-cache.ts) keys
-- its entries by it, so a cached read is exactly as fresh as the rollups.
CREATE TABLE rollup_generation (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  generation bigint NOT NULL DEFAULT 0
);
INSERT INTO rollup_generation (id, generation) VALUES (true, 0);

-- Top lists read one scope and metric over a range of buckets for every
-- subject: with (bucket, scope, metric) every rollup row of the range (all
-- scopes and metrics) was visited; these visit only the rows asked for.
CREATE INDEX hour_rollups_scope_metric_idx ON hour_rollups (scope, metric, bucket);
CREATE INDEX day_rollups_scope_metric_idx ON day_rollups (scope, metric, bucket);
