-- Every change of an account's roles bumps roles_version in the same UPDATE (a compare-and-set on the version read),
-- and user.roles.changed and identity.userRoles carry it: a node that hears two quick changes out of order (different
-- senders over NATS) keeps the newest instead of whichever came last, e.g. a removed admin role staying removed.
ALTER TABLE accounts ADD COLUMN roles_version integer NOT NULL DEFAULT 0;
