-- PostgreSQL's spelling of ../h2/V7__quarantine_notifications.sql (TEXT and BYTEA for H2's large objects; DROP NOT NULL for SET NULL).
-- The outbox carries more than a job's end: a sandbox being quarantined is announced too. Each row says
-- which event it announces; a job's end is still announced once per channel, and so is a quarantine that
-- happened to a job. A quarantine that no job caused (job_id NULL) has no job to name.
ALTER TABLE notifications ADD COLUMN event VARCHAR(32) DEFAULT 'job.finished' NOT NULL;
ALTER TABLE notifications ALTER COLUMN job_id DROP NOT NULL;
ALTER TABLE notifications DROP CONSTRAINT notifications_once;
ALTER TABLE notifications ADD CONSTRAINT notifications_once UNIQUE (job_id, channel, event);
