#!/usr/bin/env bash
# Benchmark of the daemon's own overhead per job (submit -> agent start, agent exit -> terminal state),
# next to raw 'lxc snapshot' / 'lxc exec -- true' (/ 'lxc restore') times measured in the same run.
# Runs the daemon in-process against one real sandbox launched from the test image; see
# daemon/src/test/java/dev/dilxc/daemon/bench/JobOverheadBenchmark.java for what each figure means.
#
# From a clean clone (as root, like the tests): provisioning/test-host.sh is run first (fast when ready).
# Options (environment): DILXC_BENCH_JOBS (25) counted jobs per series, DILXC_BENCH_WARMUP (3) jobs not
# counted, DILXC_BENCH_SERIES (never,always) restore policies, one series each, DILXC_BENCH_GAP_MS (1000)
# pause after each job and after the raw samples taken between jobs. Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. deploy/lib.sh

[ "$(id -u)" -eq 0 ] || dilxc_die "the benchmark drives LXD: run it as root"
dilxc_find_jdk
dilxc_find_maven
dilxc_log "using $JAVA_HOME"
provisioning/test-host.sh

dilxc_log "compiling daemon and its test sources"
classpath=$(dilxc_bench_classpath daemon test-compile daemon "$@")
dilxc_log "running the benchmark (${DILXC_BENCH_JOBS:-25} jobs + ${DILXC_BENCH_WARMUP:-3} warmup per series: ${DILXC_BENCH_SERIES:-never,always})"
exec "$JAVA_HOME/bin/java" -cp "$classpath" dev.dilxc.daemon.bench.JobOverheadBenchmark
