-- Segments of channel schedules: single, or weekly at the same local time.
CREATE TABLE segments (
  id text PRIMARY KEY,
  channel_id text NOT NULL,
  title text NOT NULL,
  category text,
  start_at timestamptz NOT NULL,
  duration_min integer NOT NULL CHECK (duration_min > 0),
  recurring boolean NOT NULL DEFAULT false,
  timezone text NOT NULL DEFAULT 'UTC',
  cancelled boolean NOT NULL DEFAULT false,
  cancelled_occurrences jsonb NOT NULL DEFAULT '[]',
  -- The next occurrence whose "starting soon" event has not gone out.
  next_notice_at timestamptz,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX segments_channel_idx ON segments (channel_id, start_at);
CREATE INDEX segments_notice_idx ON segments (next_notice_at) WHERE next_notice_at IS NOT NULL AND NOT cancelled;

-- Live sessions that started inside an occurrence's window (id = session id).
CREATE TABLE segment_sessions (
  id text PRIMARY KEY,
  channel_id text NOT NULL,
  segment_id text NOT NULL,
  occurrence_start timestamptz NOT NULL,
  started_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX segment_sessions_channel_idx ON segment_sessions (channel_id, occurrence_start);
