-- Several daemons on one database (PostgreSQL; on H2 there is only ever one). Each run of a daemon registers
-- here under an id of its own (its name and a random suffix, new at every start) and renews heartbeat_at while
-- it lives; heartbeat_at is the database's clock, so the daemons' own clocks never decide who is dead. A daemon
-- whose heartbeat is older than dilxc.daemon.dead-after is dead: another daemon takes over its running jobs
-- (a guarded UPDATE of jobs.daemon_id, so only one settles each) and drops its operation leases.
CREATE TABLE daemons (
    id           VARCHAR(120)             NOT NULL PRIMARY KEY,
    -- dilxc.daemon.name (the host's name by default), for people reading 'status' and 'jobs'.
    name         VARCHAR(100)             NOT NULL,
    host         VARCHAR(255)             NOT NULL,
    pid          BIGINT                   NOT NULL,
    version      VARCHAR(64),
    started_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    heartbeat_at TIMESTAMP WITH TIME ZONE NOT NULL,
    -- Set when it stopped cleanly, or when another daemon declared it dead and settled its jobs.
    stopped_at   TIMESTAMP WITH TIME ZONE,
    stop_reason  CHARACTER VARYING(400)
);

-- The daemon run that claimed the job (and runs or ran it); NULL for jobs from before this migration and for
-- jobs never claimed. Whoever settles a dead daemon's job first moves it to itself with a guarded UPDATE.
ALTER TABLE jobs ADD COLUMN daemon_id VARCHAR(120);
CREATE INDEX jobs_by_daemon_state ON jobs (daemon_id, state);

-- The daemon run holding an operation's lease (operations live in that daemon's memory and die with it).
ALTER TABLE sandbox_leases ADD COLUMN daemon_id VARCHAR(120);

-- Quartz's row locks for the scheduler 'dilxc' (spring.quartz.scheduler-name): with several daemons starting
-- at once on PostgreSQL, each would otherwise insert them on first use and race. An H2 database of an
-- earlier version has them already (Quartz made them), hence NOT EXISTS.
INSERT INTO QRTZ_LOCKS (SCHED_NAME, LOCK_NAME)
SELECT 'dilxc', 'TRIGGER_ACCESS' FROM (VALUES (1)) AS one(x)
WHERE NOT EXISTS (SELECT 1 FROM QRTZ_LOCKS WHERE SCHED_NAME = 'dilxc' AND LOCK_NAME = 'TRIGGER_ACCESS');
INSERT INTO QRTZ_LOCKS (SCHED_NAME, LOCK_NAME)
SELECT 'dilxc', 'STATE_ACCESS' FROM (VALUES (1)) AS one(x)
WHERE NOT EXISTS (SELECT 1 FROM QRTZ_LOCKS WHERE SCHED_NAME = 'dilxc' AND LOCK_NAME = 'STATE_ACCESS');
