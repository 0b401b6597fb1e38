-- An LXD or Incus cluster behind the daemons (issue: sandboxes across a cluster).

-- The cluster member the daemon's own LXD/Incus is (NULL outside a cluster, or before it answered): a daemon
-- leaves a queued job whose sandbox lives on another live daemon's member to that daemon for a moment
-- (dilxc.cluster.local-claim-grace), so jobs run where their sandbox is when they can.
ALTER TABLE daemons ADD COLUMN lxd_member VARCHAR(255);

-- The cluster member that held the job's sandbox when it was claimed (NULL outside a cluster): 'jobs' and the
-- review pages show where each run happened, even after the sandbox moved or was deleted.
ALTER TABLE jobs ADD COLUMN member VARCHAR(255);
