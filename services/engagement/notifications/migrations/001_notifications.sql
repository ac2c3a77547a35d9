-- The inbox: one row per (recipient, source). source_key names what the row is
-- about (e.g. "live:<sessionId>"), so a redelivered event or a resumed fan-out
-- never gives a user the same notification twice.
CREATE TABLE notifications (
  id text PRIMARY KEY,
  user_id text NOT NULL,
  type text NOT NULL,
  source_key text NOT NULL,
  title text NOT NULL,
  body text,
  link text,
  data jsonb NOT NULL DEFAULT '{}'::jsonb,
  channel_id text,
  actor_id text,
  -- false when the user turned the in-app channel off for the type but a push still goes out (status is kept here).
  in_app boolean NOT NULL DEFAULT true,
  read_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (user_id, source_key)
);
CREATE INDEX notifications_inbox_idx ON notifications (user_id, created_at DESC, id DESC) WHERE in_app;
CREATE INDEX notifications_unread_idx ON notifications (user_id, created_at DESC, id DESC) WHERE in_app AND read_at IS NULL;
CREATE INDEX notifications_retention_idx ON notifications (read_at) WHERE read_at IS NOT NULL;
CREATE INDEX notifications_created_idx ON notifications (created_at);

-- Per-type overrides of the catalog's defaults; no row means the default.
CREATE TABLE preferences (
  user_id text NOT NULL,
  type text NOT NULL,
  in_app boolean NOT NULL,
  mobile boolean NOT NULL,
  web boolean NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, type)
);

-- A muted channel sends its follower no go-live (or new-video, new-post) alert.
CREATE TABLE channel_mutes (
  user_id text NOT NULL,
  channel_id text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (user_id, channel_id)
);

-- Push targets: an FCM registration token (kind fcm, also used as the SNS
-- platform token), or a Web Push subscription (endpoint + keys).
CREATE TABLE devices (
  id text PRIMARY KEY,
  user_id text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('mobile', 'web')),
  platform text NOT NULL,
  token text NOT NULL,
  p256dh text,
  auth text,
  endpoint_arn text,
  label text,
  last_used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (kind, token)
);
CREATE INDEX devices_user_idx ON devices (user_id);

-- Fan-out progress: one row per (type, source); after_user is the last
-- follower id whose inbox row committed with it, so a node that takes over
-- a dead node's lease resumes right after it.
CREATE TABLE fanouts (
  id text PRIMARY KEY,
  type text NOT NULL,
  channel_id text NOT NULL,
  template jsonb NOT NULL,
  after_user text NOT NULL DEFAULT '',
  state text NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'done')),
  recipients integer NOT NULL DEFAULT 0,
  batches integer NOT NULL DEFAULT 0,
  lease_owner text,
  lease_until timestamptz,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX fanouts_running_idx ON fanouts (lease_until) WHERE state = 'running';

-- Go-live collapse: when a channel last alerted its followers.
CREATE TABLE live_alerts (
  channel_id text PRIMARY KEY,
  session_id text NOT NULL,
  alerted_at timestamptz NOT NULL,
  suppressed integer NOT NULL DEFAULT 0
);

-- Durable push work: one row per (notification, device); any node takes due rows.
CREATE TABLE push_jobs (
  id bigserial PRIMARY KEY,
  notification_id text NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
  user_id text NOT NULL,
  device_id text NOT NULL,
  kind text NOT NULL,
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'failed', 'invalid', 'skipped')),
  attempts integer NOT NULL DEFAULT 0,
  next_at timestamptz NOT NULL DEFAULT now(),
  lease_owner text,
  lease_until timestamptz,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (notification_id, device_id)
);
CREATE INDEX push_jobs_due_idx ON push_jobs (next_at) WHERE state = 'pending';
CREATE INDEX push_jobs_notification_idx ON push_jobs (notification_id);

-- Every delivery attempt (in-app, websocket, each push), shown on GET /me/notifications/:id.
CREATE TABLE delivery_attempts (
  id bigserial PRIMARY KEY,
  notification_id text NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
  channel text NOT NULL,
  provider text,
  device_id text,
  status text NOT NULL,
  error text,
  attempt integer NOT NULL DEFAULT 1,
  attempted_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX delivery_attempts_notification_idx ON delivery_attempts (notification_id, id);
