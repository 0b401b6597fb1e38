-- PostgreSQL's spelling of ../h2/V2__job_origins_and_changes.sql (TEXT and BYTEA for H2's large objects; DROP NOT NULL for SET NULL).
-- Issue #4: where a job came from (a schedule's slot, a retry or resume of another job), the budget
-- guards it passes to Claude Code, and what it changed in the working copy, captured before a restore.
ALTER TABLE jobs ADD COLUMN trigger_kind VARCHAR(16) DEFAULT 'manual' NOT NULL;
ALTER TABLE jobs ADD COLUMN schedule_id BIGINT;
ALTER TABLE jobs ADD COLUMN scheduled_for TIMESTAMP WITH TIME ZONE;
ALTER TABLE jobs ADD COLUMN parent_job_id BIGINT;
-- At most one job per key, ever: a schedule firing twice for one slot (two daemons, a retried trigger)
-- gets the first job back instead of a second agent run.
ALTER TABLE jobs ADD COLUMN idempotency_key VARCHAR(300) UNIQUE;
ALTER TABLE jobs ADD COLUMN max_turns INT;
ALTER TABLE jobs ADD COLUMN max_budget_usd DECIMAL(19, 6);
ALTER TABLE jobs ADD COLUMN sync_project BOOLEAN DEFAULT FALSE NOT NULL;
-- The Claude Code session a resume job continues (claude -p --resume SESSION).
ALTER TABLE jobs ADD COLUMN resume_session_id VARCHAR(128);
-- The working copy's state when the agent started: a commit, or a marker time where it is no git repository.
ALTER TABLE jobs ADD COLUMN change_base VARCHAR(200);
ALTER TABLE jobs ADD COLUMN files_changed INT;
ALTER TABLE jobs ADD COLUMN restored_to VARCHAR(128);

CREATE INDEX jobs_by_schedule ON jobs (schedule_id, id);
CREATE INDEX jobs_by_submitted ON jobs (submitted_at, id);

CREATE TABLE job_changes (
    job_id            BIGINT                   NOT NULL PRIMARY KEY REFERENCES jobs (id) ON DELETE CASCADE,
    git_repository    BOOLEAN                  NOT NULL,
    base_commit       VARCHAR(64),
    status            TEXT,
    diff_stat         TEXT,
    diff              TEXT,
    diff_truncated    BOOLEAN                  DEFAULT FALSE NOT NULL,
    -- Changed paths relative to the working copy, one a line.
    files             TEXT   NOT NULL,
    captured_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    -- The session's transcript (jsonl under ~/.claude/projects), so a resume works after a restore removed it.
    session_path      CHARACTER VARYING(1000),
    session_transcript BYTEA
);
