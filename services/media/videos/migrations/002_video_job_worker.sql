-- Which node claimed a job, kept after it ends (the lease owner is cleared):
-- operators see where a video was transcoded, and the cluster test asserts it.
ALTER TABLE video_jobs ADD COLUMN worker_node_id text;
