-- Transactional outbox: a service writes its domain events here in the same
-- transaction as the data change; a relay publishes them after commit.
CREATE TABLE IF NOT EXISTS outbox (
  seq          bigserial PRIMARY KEY,
  id           uuid NOT NULL UNIQUE,
  type         text NOT NULL,
  envelope     jsonb NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz,
  attempts     integer NOT NULL DEFAULT 0,
  last_error   text
);
-- The relay only ever looks for unpublished rows, oldest first.
CREATE INDEX IF NOT EXISTS outbox_unpublished_idx ON outbox (seq) WHERE published_at IS NULL;

-- Events a consumer group has handled, written in the handler's transaction
-- so "handled" and the handler's writes commit or roll back together.
CREATE TABLE IF NOT EXISTS processed_events (
  consumer_group text NOT NULL,
  event_id       text NOT NULL,
  processed_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer_group, event_id)
);
