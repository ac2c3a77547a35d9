-- Suspended accounts, as identity's user.suspended / user.unsuspended told
-- search: while an account is suspended everything it owns (its profile,
-- channels, streams, videos, posts, tournaments) stays out of every result,
-- and comes back when the suspension is lifted; the documents themselves
-- stay indexed and current. `version` is the events': a change applies only
-- over an older one, so the two converge in any delivery order.
-- (Numbered 003: 002 is taken by a change being made in parallel.)
CREATE TABLE suspended_owners (
  owner_id   text PRIMARY KEY,
  suspended  boolean NOT NULL,
  version    integer NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
