CREATE TABLE videos (
  id text PRIMARY KEY,
  channel_id text NOT NULL,
  owner_id text NOT NULL,
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  category text,
  tags jsonb NOT NULL DEFAULT '[]',
  visibility text NOT NULL CHECK (visibility IN ('public', 'unlisted', 'private')),
  status text NOT NULL CHECK (status IN ('awaiting_upload', 'processing', 'ready', 'failed')),
  origin text NOT NULL CHECK (origin IN ('upload', 'recording')),
  -- A live recording becomes at most one VOD.
  source_id text UNIQUE,
  live_session_id text,
  source_key text,
  source_bytes bigint,
  source_type text,
  duration_s double precision,
  width integer,
  height integer,
  master_playlist_key text,
  renditions jsonb NOT NULL DEFAULT '[]',
  thumbnail_key text,
  failure_reason text,
  view_count integer NOT NULL DEFAULT 0,
  comment_count integer NOT NULL DEFAULT 0,
  published_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX videos_channel_listing_idx ON videos (channel_id, status, visibility, published_at DESC);
CREATE INDEX videos_public_listing_idx ON videos (published_at DESC) WHERE status = 'ready' AND visibility = 'public';

-- Processing jobs: leased by one worker at a time; an expired lease means
-- the worker died and any node may take the job over.
CREATE TABLE video_jobs (
  id text PRIMARY KEY,
  video_id text NOT NULL,
  state text NOT NULL CHECK (state IN ('queued', 'running', 'succeeded', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL DEFAULT 3,
  available_at timestamptz NOT NULL,
  lease_owner text,
  lease_until timestamptz,
  external_ref text,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX video_jobs_pending_idx ON video_jobs (available_at) WHERE state IN ('queued', 'running');
CREATE INDEX video_jobs_video_idx ON video_jobs (video_id);

-- One row per (video, viewer): when their view last counted.
CREATE TABLE video_views (
  id text PRIMARY KEY,
  video_id text NOT NULL,
  viewer_key text NOT NULL,
  last_counted_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX video_views_video_idx ON video_views (video_id);

CREATE TABLE video_comments (
  id text PRIMARY KEY,
  video_id text NOT NULL,
  channel_id text NOT NULL,
  author_id text NOT NULL,
  author_name text NOT NULL,
  parent_id text,
  root_id text,
  depth integer NOT NULL DEFAULT 0,
  body text NOT NULL,
  status text NOT NULL DEFAULT 'visible' CHECK (status IN ('visible', 'deleted', 'removed')),
  edited_at timestamptz,
  removed_by text,
  reply_count integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX video_comments_thread_idx ON video_comments (video_id, root_id, created_at);
CREATE INDEX video_comments_author_idx ON video_comments (author_id, created_at DESC);
