#!/usr/bin/env bash
# Benchmark of the job path close to raw LXD: the wall time of 'dilxc-client submit --wait -- PROMPT' (the
# client launcher with its trained start-up cache, against a daemon started through its launcher, trained
# likewise) and the job's own submitted -> finished time, next to 'lxc snapshot' + 'lxc exec ... claude -p
# ...' of the same scripted conversation by hand on the same sandbox, sample by sample in turns; prints
# medians and p90s, the differences against the goals (daemon side within 0.3 s of raw, user wait within
# 0.5 s) and where the time goes. See client/src/test/java/dev/dilxc/client/bench/JobPathBenchmark.java for
# what each figure means.
#
# From a clean clone (as root, like the tests): provisioning/test-host.sh is run first (fast when ready).
# Touches nothing of yours: its own sandbox, a daemon on a temporary socket and data directory, the jars
# copied and both caches trained into a temporary directory; all removed at the end.
# Options (environment): DILXC_BENCH_SAMPLES (10) counted rounds, DILXC_BENCH_WARMUP (2) rounds not counted,
# DILXC_BENCH_GAP_MS (1000) pause after each sample, DILXC_BENCH_API_SUBMIT=1 to add a third sample per round
# (a job submitted over the API by the benchmark's JVM: the daemon side with no client JVM beside it),
# DILXC_BENCH_TRACE_LXC=1 to time each lxc call of the daemon's (through a wrapper that adds a few ms per call:
# to see where time goes, not for the headline), DILXC_BENCH_KEEP=1 to keep the work directory (the daemon's
# log and database), DILXC_LXD_BACKEND (lxd) lxd or incus: the back end both sides drive (incus: incus verbs by
# hand). Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. deploy/lib.sh

[ "$(id -u)" -eq 0 ] || dilxc_die "the benchmark drives LXD: run it as root"
dilxc_find_jdk
dilxc_find_maven
dilxc_log "using $JAVA_HOME"
provisioning/test-host.sh

dilxc_log "building the jars and the client's test sources"
classpath=$(dilxc_bench_classpath client package daemon/api,daemon,client "$@")

work=$(mktemp -d "${TMPDIR:-/tmp}/dilxc-job-path-bench.XXXXXX")
trap 'rm -rf -- "$work"' EXIT
# Copies of the jars: a rebuild during the run must neither pull classes from under them nor stale their caches.
cp daemon/target/dilxc-daemon.jar client/target/dilxc-client.jar "$work/"
export DILXC_DAEMON_JAR=$work/dilxc-daemon.jar DILXC_CLIENT_JAR=$work/dilxc-client.jar
export DILXC_DAEMON_CACHE_DIR=$work/daemon-cache DILXC_CLIENT_CACHE_DIR=$work/client-cache
unset DILXC_DAEMON_AOT DILXC_CLIENT_AOT DILXC_DAEMON_JAVA_OPTS DILXC_CLIENT_JAVA_OPTS JAVA_TOOL_OPTIONS JDK_JAVA_OPTIONS
dilxc_log "training the start-up caches (deploy/train.sh --daemon, then --client, into $work)"
(unset DILXC_SOCKET; DILXC_LXD_BACKEND=${DILXC_LXD_BACKEND:-lxd} deploy/train.sh --daemon 2>"$work/train.log" && deploy/train.sh --client 2>>"$work/train.log") \
    || { cat "$work/train.log" >&2; dilxc_die "training failed"; }
DILXC_CLIENT_CACHE_CHECK=1 deploy/bin/dilxc-client || dilxc_die "the client's start-up cache is not current after training"
DILXC_DAEMON_CACHE_CHECK=1 deploy/bin/dilxc-daemon || dilxc_die "the daemon's start-up cache is not current after training"

backend=${DILXC_LXD_BACKEND:-lxd}
dilxc_log "running the benchmark on $backend (${DILXC_BENCH_WARMUP:-2} warm-up + ${DILXC_BENCH_SAMPLES:-10} rounds)"
"$JAVA_HOME/bin/java" -Ddilxc.lxd.backend="$backend" -cp "$classpath" dev.dilxc.client.bench.JobPathBenchmark deploy/bin/dilxc-client deploy/bin/dilxc-daemon
