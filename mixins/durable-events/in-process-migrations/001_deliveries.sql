-- The in-process adapter's durable queues (embedded mode and single-node
-- PostgreSQL without a broker), in the same database as the services.

-- A consumer group exists from its first subscription on, like a JetStream
-- durable consumer: events published while its service is not running yet
-- (after a restart) are kept for it.
CREATE TABLE IF NOT EXISTS consumer_groups (
  channel    text NOT NULL,
  group_name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (channel, group_name)
);

-- One row per (event, group) until the group has handled it; redelivered at boot.
CREATE TABLE IF NOT EXISTS deliveries (
  seq        bigserial PRIMARY KEY,
  channel    text NOT NULL,
  group_name text NOT NULL,
  data       bytea NOT NULL,
  headers    jsonb NOT NULL DEFAULT '{}',
  failures   integer NOT NULL DEFAULT 0,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS deliveries_group_idx ON deliveries (channel, group_name, seq);

-- Dead letters (DLQ.<type>) kept for operators: list, replay, drop.
CREATE TABLE IF NOT EXISTS dead_letters (
  seq        bigserial PRIMARY KEY,
  channel    text NOT NULL,
  data       bytea NOT NULL,
  headers    jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS dead_letters_channel_idx ON dead_letters (channel, seq);
