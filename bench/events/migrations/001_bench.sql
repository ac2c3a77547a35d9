-- What the benchmark consumer writes per event: one row, like a typical handler's insert.
CREATE TABLE sink (
  event_id text PRIMARY KEY,
  seq integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
