-- Live sessions: one row per go-live, from first publish to the end of the
-- reconnect grace period. status: live | reconnecting | ended.
CREATE TABLE sessions (
  id text PRIMARY KEY,
  channel_id text NOT NULL,
  owner_id text NOT NULL,
  status text NOT NULL,
  title text NOT NULL,
  category text,
  language text NOT NULL DEFAULT 'en',
  provider text NOT NULL,
  node_id text NOT NULL,
  connection_id text,
  started_at timestamptz NOT NULL,
  disconnected_at timestamptz,
  ended_at timestamptz,
  duration_s integer,
  viewer_count integer NOT NULL DEFAULT 0,
  peak_viewers integer NOT NULL DEFAULT 0,
  last_health jsonb,
  recording_key text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- The database enforces one open session per channel, whatever node ingests.
CREATE UNIQUE INDEX sessions_one_open_per_channel ON sessions (channel_id) WHERE status <> 'ended';
CREATE INDEX sessions_live_idx ON sessions (status, viewer_count DESC);
CREATE INDEX sessions_channel_idx ON sessions (channel_id, started_at DESC);

-- Ingest health samples, kept while live for the owner's dashboard.
CREATE TABLE health_samples (
  id text PRIMARY KEY,
  session_id text NOT NULL,
  channel_id text NOT NULL,
  at timestamptz NOT NULL,
  bitrate_kbps integer NOT NULL,
  fps double precision NOT NULL,
  keyframe_interval_s double precision NOT NULL,
  dropped_frames integer NOT NULL,
  width integer NOT NULL,
  height integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX health_samples_session_idx ON health_samples (session_id, at DESC);
