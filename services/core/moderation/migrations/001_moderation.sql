-- Abuse reports: one open report per target; every reporter's entry collapses into it.
CREATE TABLE reports (
  id text PRIMARY KEY,
  target_kind text NOT NULL CHECK (target_kind IN ('channel', 'stream', 'video', 'comment', 'chat_message', 'user')),
  target_id text NOT NULL,
  channel_id text,
  target_user_id text,
  context_id text,
  snapshot text NOT NULL DEFAULT '',
  status text NOT NULL CHECK (status IN ('open', 'resolved')),
  report_count integer NOT NULL DEFAULT 1,
  last_reported_at timestamptz NOT NULL,
  action text,
  resolved_by text,
  resolved_at timestamptz,
  resolution_reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX reports_open_target_idx ON reports (target_kind, target_id) WHERE status = 'open';
CREATE INDEX reports_queue_idx ON reports (status, last_reported_at DESC, id DESC);
CREATE INDEX reports_channel_idx ON reports (channel_id, status, last_reported_at DESC, id DESC);

CREATE TABLE report_entries (
  id text PRIMARY KEY,
  report_id text NOT NULL,
  reporter_id text NOT NULL,
  reason text NOT NULL,
  text text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX report_entries_report_idx ON report_entries (report_id);

-- Every moderation action: who, what, on what, and why.
CREATE TABLE audit_log (
  id text PRIMARY KEY,
  report_id text,
  actor_id text NOT NULL,
  action text NOT NULL,
  target_kind text NOT NULL,
  target_id text NOT NULL,
  channel_id text,
  target_user_id text,
  reason text NOT NULL,
  details jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_channel_idx ON audit_log (channel_id, created_at DESC, id DESC);
CREATE INDEX audit_log_recent_idx ON audit_log (created_at DESC, id DESC);
