-- Analytics: raw minute buckets and their companions, range-partitioned by UTC
-- day (partitions are created ahead of time and dropped whole for retention:
-- partitions.ts), hourly and daily rollups kept by rollups.ts, and the few
-- dimensions the dashboards need (stream sessions, videos), all fed by events.
-- Times are timestamptz and every bucket boundary is computed in UTC.

-- One row per (minute, scope, subject, metric). Counters add to `sum`; gauges
-- (viewers) keep the sum, count and max of their samples in the minute.
CREATE TABLE minute_buckets (
  bucket timestamptz NOT NULL,
  scope text NOT NULL,
  subject_id text NOT NULL,
  metric text NOT NULL,
  sum double precision NOT NULL DEFAULT 0,
  count bigint NOT NULL DEFAULT 0,
  max double precision,
  PRIMARY KEY (bucket, scope, subject_id, metric)
) PARTITION BY RANGE (bucket);

-- Members of unique counts (chatters, viewers): a keyed hash whose key
-- rotates daily (daily_keys), never a user id.
CREATE TABLE unique_members (
  bucket timestamptz NOT NULL,
  scope text NOT NULL,
  subject_id text NOT NULL,
  metric text NOT NULL,
  member bytea NOT NULL,
  PRIMARY KEY (bucket, scope, subject_id, metric, member)
) PARTITION BY RANGE (bucket);

-- The farthest point each play of a video reached (retention curve). The play
-- is a keyed hash of the viewer and the player's play id.
CREATE TABLE video_plays (
  day timestamptz NOT NULL,
  video_id text NOT NULL,
  play bytea NOT NULL,
  max_position_s double precision NOT NULL,
  watched_s double precision NOT NULL DEFAULT 0,
  last_seen_at timestamptz NOT NULL,
  PRIMARY KEY (day, video_id, play)
) PARTITION BY RANGE (day);

-- Ids of the events already counted (a digest of the event id), by the UTC
-- day of the event's own time: a redelivered event has the same id and day.
CREATE TABLE ingested_events (
  day timestamptz NOT NULL,
  event_id uuid NOT NULL,
  PRIMARY KEY (day, event_id)
) PARTITION BY RANGE (day);

-- Hours whose minute buckets changed since the last rollup run.
CREATE TABLE dirty_hours (
  hour timestamptz PRIMARY KEY,
  marked_at timestamptz NOT NULL DEFAULT now()
);

-- Rollups: sum/count/max add up from the minutes; `minutes` is how many
-- minute buckets had data and `avg_sum` the sum of per-minute averages
-- (for viewers: viewer-minutes). Unique metrics hold the distinct count.
CREATE TABLE hour_rollups (
  bucket timestamptz NOT NULL,
  scope text NOT NULL,
  subject_id text NOT NULL,
  metric text NOT NULL,
  sum double precision NOT NULL,
  count bigint NOT NULL,
  max double precision,
  minutes integer NOT NULL,
  avg_sum double precision NOT NULL,
  PRIMARY KEY (scope, subject_id, metric, bucket)
);
CREATE INDEX hour_rollups_bucket_idx ON hour_rollups (bucket, scope, metric);

CREATE TABLE day_rollups (
  bucket timestamptz NOT NULL,
  scope text NOT NULL,
  subject_id text NOT NULL,
  metric text NOT NULL,
  sum double precision NOT NULL,
  count bigint NOT NULL,
  max double precision,
  minutes integer NOT NULL,
  avg_sum double precision NOT NULL,
  PRIMARY KEY (scope, subject_id, metric, bucket)
);
CREATE INDEX day_rollups_bucket_idx ON day_rollups (bucket, scope, metric);

-- The random key of each UTC day's viewer hashes; deleted after the day (plus
-- a grace for late events), after which no hash can be tied to anyone.
CREATE TABLE daily_keys (
  day timestamptz PRIMARY KEY,
  key bytea NOT NULL
);

-- Dimensions from stream.started / stream.ended and video.created / video.published.
CREATE TABLE stream_sessions (
  id text PRIMARY KEY,
  channel_id text NOT NULL,
  title text NOT NULL DEFAULT '',
  started_at timestamptz NOT NULL,
  ended_at timestamptz,
  duration_s double precision,
  peak_viewers integer,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stream_sessions_channel_idx ON stream_sessions (channel_id, started_at DESC);

CREATE TABLE videos (
  id text PRIMARY KEY,
  channel_id text NOT NULL,
  title text NOT NULL DEFAULT '',
  duration_s double precision,
  origin text NOT NULL DEFAULT 'upload',
  deleted boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX videos_channel_idx ON videos (channel_id);
