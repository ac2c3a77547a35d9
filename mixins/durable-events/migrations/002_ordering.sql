-- Per-key ordering on the consumer side: the newest version of each key a
-- consumer group has applied, per ordering scope. Written in the handler's
-- transaction; an event older than the stored version is skipped, so an
-- older event never overwrites the effect of a newer one.
CREATE TABLE IF NOT EXISTS consumer_versions (
  consumer_group text NOT NULL,
  scope          text NOT NULL,
  producer       text NOT NULL,
  order_key      text NOT NULL,
  version        bigint NOT NULL,
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer_group, scope, producer, order_key)
);
