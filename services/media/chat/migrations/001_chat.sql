-- Chat history, written in batches by the realtime gateways. id is the
-- gateway's time-ordered message id, so paging "before" a message is an
-- index range scan on (channel_id, id).
CREATE TABLE messages (
  id text PRIMARY KEY,
  channel_id text NOT NULL,
  user_id text NOT NULL,
  username text NOT NULL,
  badges jsonb NOT NULL DEFAULT '[]',
  text text NOT NULL,
  sent_at timestamptz NOT NULL,
  deleted boolean NOT NULL DEFAULT false,
  deleted_by text,
  deleted_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX messages_channel_id_idx ON messages (channel_id, id DESC);

-- One row per room: modes, bans/timeouts and blocked terms as one document,
-- so a change is one write and one broadcast of the whole state.
CREATE TABLE moderation (
  id text PRIMARY KEY,
  state jsonb NOT NULL,
  version integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Moderation log: who did what to whom, for the broadcaster and admins.
CREATE TABLE moderation_log (
  id text PRIMARY KEY,
  channel_id text NOT NULL,
  actor_id text NOT NULL,
  action text NOT NULL,
  target_user_id text,
  detail jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX moderation_log_channel_idx ON moderation_log (channel_id, created_at DESC);
