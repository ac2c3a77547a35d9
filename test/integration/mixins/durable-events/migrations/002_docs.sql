-- What the ordered test consumer applied, in order.
CREATE TABLE applied (
  seq bigserial PRIMARY KEY,
  doc_id text NOT NULL,
  type text NOT NULL,
  rev integer,
  version bigint
);
