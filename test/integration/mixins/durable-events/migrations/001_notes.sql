-- Tables of the durable-events test services (a producer's data and a consumer's side effects).
CREATE TABLE notes (
  id text PRIMARY KEY,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE received (
  seq bigserial PRIMARY KEY,
  id text,
  event_id text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
