-- Time of the viewer sample the count came from: older samples arriving late
-- (several realtime nodes, retries) must not overwrite a newer count.
ALTER TABLE sessions ADD COLUMN viewers_sampled_at timestamptz;
