#!/usr/bin/env bash
# Benchmark of a year of history: the requests behind 'jobs' (with and without --state/--sandbox), 'report',
# 'status', 'job N' and 'logs N' (first and last page of a 64 MB job), sent over the Unix socket to the
# daemon jar on a database of 100,000 jobs and a million output lines, next to the same requests on a new
# database, alternating between the two; then the daemon's start-up time to its first answer and its idle RSS
# on both databases, out of the box (java -jar) against the launcher with its start-up cache (trained here
# first, into a temporary directory), in alternating rounds. See
# daemon/src/test/java/dev/dilxc/daemon/bench/HistoryBenchmark.java for what each figure means.
#
# Needs no LXD and no root: the daemons get a nonexistent LXD client and only read their databases.
# Options (environment): DILXC_BENCH_JOBS (100000) jobs of history, DILXC_BENCH_SAMPLES (30) timed requests
# per request and database, DILXC_BENCH_WARMUP (10) untimed ones first, DILXC_BENCH_BIG_LINES (262144) lines
# of 256 characters in the big job, DILXC_BENCH_IDLE_SECONDS (10) before the idle RSS is read,
# DILXC_BENCH_STARTS (3) rounds of start-up measurements,
# DILXC_BENCH_KEEP=1 to keep the seeded databases (in a dilxc-history-bench-* temp directory). Extra
# arguments go to Maven.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. deploy/lib.sh

dilxc_find_jdk
dilxc_find_maven
dilxc_log "using $JAVA_HOME"

dilxc_log "building the jars and the daemon's test sources"
# The client jar is for training the daemon's start-up cache (its commands are the training run's requests).
classpath=$(dilxc_bench_classpath daemon package daemon,client "$@")
[ -f daemon/target/dilxc-daemon.jar ] || dilxc_die "Maven built no daemon/target/dilxc-daemon.jar"

cache=$(mktemp -d "${TMPDIR:-/tmp}/dilxc-bench-cache.XXXXXX")
trap 'rm -rf -- "$cache"' EXIT
export DILXC_DAEMON_CACHE_DIR=$cache DILXC_DAEMON_JAR=$PWD/daemon/target/dilxc-daemon.jar
dilxc_log "training the daemon's start-up cache (deploy/train.sh --daemon, into $cache)"
(unset DILXC_SOCKET; deploy/train.sh --daemon 2>"$cache/train.log") || { cat "$cache/train.log" >&2; dilxc_die "training failed"; }

dilxc_log "running the benchmark (${DILXC_BENCH_JOBS:-100000} jobs, ${DILXC_BENCH_SAMPLES:-30} samples per request)"
"$JAVA_HOME/bin/java" -cp "$classpath" dev.dilxc.daemon.bench.HistoryBenchmark daemon/target/dilxc-daemon.jar \
    deploy/bin/dilxc-daemon
