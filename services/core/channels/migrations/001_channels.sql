CREATE TABLE channels (
  id text PRIMARY KEY,
  owner_id text NOT NULL,
  slug text NOT NULL UNIQUE,
  title text NOT NULL,
  category text,
  tags jsonb NOT NULL DEFAULT '[]',
  language text NOT NULL DEFAULT 'en',
  mature boolean NOT NULL DEFAULT false,
  -- SHA-256 of the stream key; the key itself is shown once and never stored.
  stream_key_hash text UNIQUE,
  stream_key_rotated_at timestamptz,
  is_live boolean NOT NULL DEFAULT false,
  live_session_id text,
  live_since timestamptz,
  follower_count integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
-- One channel per user, like the platforms Arena's users come from.
CREATE UNIQUE INDEX channels_owner_idx ON channels (owner_id);
CREATE INDEX channels_live_idx ON channels (is_live, follower_count DESC);
CREATE INDEX channels_category_idx ON channels (category);

-- Per-channel roles named by the owner. id is "<channelId>:<userId>:<role>".
CREATE TABLE channel_members (
  id text PRIMARY KEY,
  channel_id text NOT NULL REFERENCES channels (id) ON DELETE CASCADE,
  user_id text NOT NULL,
  role text NOT NULL CHECK (role IN ('moderator', 'vip')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX channel_members_channel_idx ON channel_members (channel_id);
CREATE INDEX channel_members_user_idx ON channel_members (user_id);
