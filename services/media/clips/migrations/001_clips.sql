-- Clips: each row is also its processing job (status + lease).
CREATE TABLE clips (
  id text PRIMARY KEY,
  channel_id text NOT NULL,
  owner_id text NOT NULL,
  owner_name text NOT NULL,
  title text NOT NULL,
  source_kind text NOT NULL CHECK (source_kind IN ('live', 'vod')),
  session_id text,
  video_id text,
  source_key text NOT NULL,
  start_s double precision,
  duration_s double precision NOT NULL CHECK (duration_s > 0),
  requested_at timestamptz NOT NULL,
  status text NOT NULL CHECK (status IN ('queued', 'processing', 'ready', 'failed')),
  method text CHECK (method IN ('copy', 'reencode')),
  storage_key text,
  thumbnail_key text,
  size_bytes bigint,
  view_count integer NOT NULL DEFAULT 0,
  failure_reason text,
  attempts integer NOT NULL DEFAULT 0,
  lease_owner text,
  lease_until timestamptz,
  finished_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX clips_channel_recent_idx ON clips (channel_id, created_at DESC, id DESC) WHERE status = 'ready';
CREATE INDEX clips_recent_idx ON clips (created_at DESC, id DESC) WHERE status = 'ready';
CREATE INDEX clips_pending_idx ON clips (status, created_at) WHERE status IN ('queued', 'processing');

-- One row per (clip, viewer): when their view last counted (lib/views).
CREATE TABLE clip_views (
  id text PRIMARY KEY,
  clip_id text NOT NULL,
  viewer_key text NOT NULL,
  last_counted_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX clip_views_clip_idx ON clip_views (clip_id);

CREATE TABLE markers (
  id text PRIMARY KEY,
  channel_id text NOT NULL,
  session_id text NOT NULL,
  offset_s double precision NOT NULL,
  description text NOT NULL,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX markers_session_idx ON markers (session_id, offset_s);
CREATE INDEX markers_channel_idx ON markers (channel_id, created_at DESC);
