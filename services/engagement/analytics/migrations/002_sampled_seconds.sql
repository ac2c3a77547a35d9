-- Gauge samples with a natural key (a viewer sample: channel and sample time,
-- one sampler per channel cluster-wide) are deduped by their minute bucket
-- instead of a row per sample in ingested_events: bit s of `sampled_seconds`
-- says the sample taken at second s of the minute is already counted
-- (samples.ts). NULL on rows of other metrics. Nullable without a default:
-- adding it rewrites no partition.
ALTER TABLE minute_buckets ADD COLUMN sampled_seconds bigint;
