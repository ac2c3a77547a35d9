-- Arena users: profile, preferences, and (for Keycloak) the subject a user
-- was provisioned from. username is lower-cased and unique.
CREATE TABLE profiles (
  id text PRIMARY KEY,
  username text NOT NULL UNIQUE,
  email text,
  display_name text NOT NULL,
  bio text NOT NULL DEFAULT '',
  avatar_url text,
  links jsonb NOT NULL DEFAULT '[]',
  language text NOT NULL DEFAULT 'en',
  notifications jsonb NOT NULL DEFAULT '{}',
  external_subject text UNIQUE,
  following_count integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- id is "<userId>:<channelId>" so a follow is idempotent by key.
CREATE TABLE follows (
  id text PRIMARY KEY,
  user_id text NOT NULL,
  channel_id text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX follows_channel_idx ON follows (channel_id, created_at DESC);
CREATE INDEX follows_user_idx ON follows (user_id, created_at DESC);

-- id is "<userId>:<blockedUserId>".
CREATE TABLE blocks (
  id text PRIMARY KEY,
  user_id text NOT NULL,
  blocked_user_id text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX blocks_user_idx ON blocks (user_id, created_at DESC);
