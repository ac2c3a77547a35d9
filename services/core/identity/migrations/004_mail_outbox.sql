-- Outgoing mail waits here until the SMTP server has taken it: a mail is
-- written in the transaction of what caused it (a registration, a reset
-- request), and a worker on any identity node claims due rows (a lease, so
-- two nodes never send one mail at once), sends them, and deletes them; a
-- failure is retried with growing delays, and after the last attempt the row
-- stays with failed_at set, for an operator. The mail itself (address, body
-- with its single-use link) is sealed with the key-encryption secret: a
-- database dump does not hand out reset links.
CREATE TABLE mail_outbox (
  id text PRIMARY KEY,
  subject text NOT NULL,
  sealed text NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  lease_until timestamptz,
  last_error text,
  failed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mail_outbox_due_idx ON mail_outbox (next_attempt_at) WHERE failed_at IS NULL;
