-- Local accounts of the built-in issuer. email and username are stored
-- lower-cased so uniqueness is case-insensitive.
CREATE TABLE accounts (
  id text PRIMARY KEY,
  email text NOT NULL UNIQUE,
  username text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  roles jsonb NOT NULL DEFAULT '["viewer"]',
  failed_logins integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  totp_enabled boolean NOT NULL DEFAULT false,
  totp_secret_enc text,
  totp_pending_enc text,
  totp_last_step integer,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One row per login; the access token's `sid`. Revoking a session kills
-- every refresh token in it.
CREATE TABLE sessions (
  id text PRIMARY KEY,
  user_id text NOT NULL,
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz,
  revoke_reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_revoked_idx ON sessions (revoked_at) WHERE revoked_at IS NOT NULL;

-- id is the SHA-256 of the token: the token itself is never stored.
CREATE TABLE refresh_tokens (
  id text PRIMARY KEY,
  session_id text NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  used_at timestamptz,
  expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (session_id);

-- id is the kid (RFC 7638 thumbprint). At most one current key.
CREATE TABLE signing_keys (
  id text PRIMARY KEY,
  alg text NOT NULL,
  status text NOT NULL CHECK (status IN ('current', 'previous', 'retired')),
  public_jwk jsonb NOT NULL,
  private_key_enc text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX signing_keys_one_current ON signing_keys (status) WHERE status = 'current';
