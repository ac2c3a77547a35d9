-- Platform suspension (an admin's ban of a channel): its stream key is
-- refused at ingest and a live broadcast is dropped, until lifted.
ALTER TABLE channels ADD COLUMN suspended_at timestamptz;
ALTER TABLE channels ADD COLUMN suspension_reason text;
