-- Retention (issue "A history that lasts"): the background sweep deletes old finished jobs and drops the bulky
-- parts (output lines, captured changes, session transcript) of jobs older than dilxc.retention.bulk-max-age.
-- pruned_at says when that happened, so 'logs N' and 'diff N' can say the output was pruned rather than show nothing.
ALTER TABLE jobs ADD COLUMN pruned_at TIMESTAMP WITH TIME ZONE;

-- The sweep keeps the transcript a later job of the same session (or a queued resume) would read; these make
-- that question an index lookup instead of a scan per candidate job.
-- (jobs_by_sandbox and jobs_by_session on (session_id, id) come from V8.)
CREATE INDEX jobs_by_sandbox_session ON jobs (sandbox, session_id, id);
CREATE INDEX jobs_by_resume_session ON jobs (sandbox, resume_session_id, id);
