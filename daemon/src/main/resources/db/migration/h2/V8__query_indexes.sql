-- A year of history (100,000 jobs, a million output lines) must answer as fast as an empty database: every
-- query a client command or the worker runs reads an index, and a query that wants the newest N rows of a
-- filter reads them in index order and stops (each such query orders by the index's columns, bound ones
-- first, which is what H2 needs to see that the index is sorted). QueryPlanTests pins each plan.

-- 'jobs --sandbox X' and the sandbox's unfinished jobs before a destroy or restore.
CREATE INDEX jobs_by_sandbox ON jobs (sandbox, id);
-- 'jobs --state S': jobs_by_state (state, sandbox, id) serves a state with a sandbox, but a state alone
-- would read every job in it (nearly all of them for SUCCEEDED) to sort them.
CREATE INDEX jobs_by_state_alone ON jobs (state, id);
-- A resume finds the newest transcript kept for its session.
CREATE INDEX jobs_by_session ON jobs (session_id, id);
-- A schedule's unfinished jobs (overlap check at every firing) and its spend today (cost cap), without
-- reading every job the schedule ever made.
CREATE INDEX jobs_by_schedule_state ON jobs (schedule_id, state, id);
CREATE INDEX jobs_by_schedule_submitted ON jobs (schedule_id, submitted_at);

-- When a schedule last fired: its newest events first.
CREATE INDEX schedule_events_by_schedule_time ON schedule_events (schedule_id, at);

-- The sender's due query orders by (next_attempt_at, id); its lower bound skips the delivered rows, whose
-- NULL sorts first.
DROP INDEX notifications_due;
CREATE INDEX notifications_due ON notifications (next_attempt_at, id);
-- The newest notifications of one event (a quarantine no job caused).
CREATE INDEX notifications_by_event ON notifications (event, id);
