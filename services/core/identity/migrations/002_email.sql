-- Email verification, password reset and new-device notices.
ALTER TABLE accounts ADD COLUMN email_verified_at timestamptz;

-- Single-use links sent by mail; id is the SHA-256 of the token (the token itself is never stored).
-- email: the address the link went to (for an email change, the new address it proves).
CREATE TABLE email_tokens (
  id text PRIMARY KEY,
  user_id text NOT NULL,
  purpose text NOT NULL CHECK (purpose IN ('verify-email', 'reset-password')),
  email text NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX email_tokens_user_idx ON email_tokens (user_id, purpose, created_at);

-- Devices an account logged in from; id is the SHA-256 of user id and user agent.
CREATE TABLE known_devices (
  id text PRIMARY KEY,
  user_id text NOT NULL,
  user_agent text NOT NULL,
  last_seen_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX known_devices_user_idx ON known_devices (user_id);
