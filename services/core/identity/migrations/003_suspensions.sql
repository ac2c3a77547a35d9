-- Account suspensions (an admin action, or the action on an abuse report). A suspended user cannot log in or
-- refresh; what they published stays. One row per user ever suspended (id = the user id): `version` grows on every
-- suspension and lift, and the user.suspended / user.unsuspended events carry it, so consumers that receive the two
-- out of order keep the newest.
CREATE TABLE suspensions (
  id text PRIMARY KEY,
  active boolean NOT NULL,
  reason text NOT NULL,
  suspended_by text NOT NULL,
  report_id text,
  suspended_at timestamptz NOT NULL,
  lifted_at timestamptz,
  lifted_by text,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
