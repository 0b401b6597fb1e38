-- Who owns a sandbox right now: a job (from its claim to its end) or a sandbox operation (restore,
-- sync, update, ...). One row per sandbox at most, so the database, not a check-then-act in memory,
-- decides who may change it; a job's claim inserts its row in the same transaction as its state change.
CREATE TABLE sandbox_leases (
    sandbox  VARCHAR(63)              NOT NULL PRIMARY KEY,
    -- 'job' or 'operation'
    kind     VARCHAR(16)              NOT NULL,
    job_id   BIGINT                   REFERENCES jobs (id) ON DELETE CASCADE,
    -- What holds it, in words ("restore", "update", "job 12").
    purpose  VARCHAR(64)              NOT NULL,
    taken_at TIMESTAMP WITH TIME ZONE NOT NULL,
    -- Names this holding, so a release never drops a lease someone else took since.
    token    VARCHAR(36)              NOT NULL
);

-- Sandboxes that need attention: a restore, the kill of an agent's processes, or crash recovery failed,
-- so the sandbox is not known to be as its job's policy said. No job is claimed on it until a repair
-- (the daemon's retry with backoff, or 'dilxc-client repair') succeeds or the user releases it.
CREATE TABLE sandbox_quarantine (
    sandbox         VARCHAR(63)              NOT NULL PRIMARY KEY,
    job_id          BIGINT                   REFERENCES jobs (id) ON DELETE SET NULL,
    -- The step that failed: RESTORE, KILL, RECOVERY or LXD_UNREACHABLE.
    step            VARCHAR(32)              NOT NULL,
    error           CHARACTER VARYING(4000)  NOT NULL,
    -- Whether a repair must restore the job's pre-job snapshot (the policy asked for it and it did not happen).
    needs_restore   BOOLEAN                  NOT NULL,
    since           TIMESTAMP WITH TIME ZONE NOT NULL,
    attempts        INT                      DEFAULT 0 NOT NULL,
    next_attempt_at TIMESTAMP WITH TIME ZONE NOT NULL,
    last_error      CHARACTER VARYING(4000)
);
