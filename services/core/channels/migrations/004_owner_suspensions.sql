-- Account suspensions, as user.suspended / user.unsuspended told the channels
-- service (identity owns them): a suspended user's channels are refused at
-- ingest, whichever channel and however many. `version` is the event's: a
-- change applies only over an older one, so the two event types converge in
-- any delivery order. A channel's own suspension (suspended_at) is separate:
-- lifting one never lifts the other.
CREATE TABLE owner_suspensions (
  user_id    text PRIMARY KEY,
  suspended  boolean NOT NULL,
  version    integer NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
