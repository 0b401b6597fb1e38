#!/usr/bin/env bash
# Benchmark of the claim path on a shared store: 1,000 queued jobs over 50 sandboxes drained by 3 daemons on one
# PostgreSQL database, next to 1 daemon on PostgreSQL and 1 on H2 (the baseline: an H2 file cannot be shared),
# all in the same run. Each daemon is an in-process Spring context whose thread does the database work of the real
# worker without LXD (claim what it may, then end each claimed job at once); prints wall time, jobs/s and the
# ratio to the baseline, claim latency (median, p95), lost claim races and the jobs each daemon took, and checks
# each pass: every job claimed exactly once, never two active jobs in a sandbox, FIFO per sandbox. See
# daemon/src/test/java/dev/dilxc/daemon/jobs/ClaimThroughputBenchmark.java for what each figure means.
#
# Needs no LXD: only the test PostgreSQL server on 127.0.0.1:55432, which provisioning/host/setup-postgresql.sh
# starts when it is not running (as root; without root the server must already answer). Each pass makes a
# database of its own there and drops it afterwards.
# Options (environment): DILXC_BENCH_CLAIM_JOBS (1000), DILXC_BENCH_CLAIM_SANDBOXES (50),
# DILXC_BENCH_CLAIM_PASSES ("h2:1 postgresql:1 postgresql:3": store:daemons, the first the baseline),
# DILXC_BENCH_CLAIM_ROUNDS (5) counted rounds of every pass, DILXC_BENCH_CLAIM_WARMUP (1) rounds not counted,
# DILXC_BENCH_CLAIM_LIMIT (the sandbox count) the workers' max-concurrent-jobs. 2-3 minutes with the defaults on
# a busy 2-core machine. Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. deploy/lib.sh

dilxc_find_jdk
dilxc_find_maven
dilxc_log "using $JAVA_HOME"
case " ${DILXC_BENCH_CLAIM_PASSES:-postgresql} " in
    *postgresql*)
        if [ "$(id -u)" -eq 0 ]; then
            provisioning/host/setup-postgresql.sh
        fi
        ;;
esac

dilxc_log "compiling daemon and its test sources"
classpath=$(dilxc_bench_classpath daemon test-compile daemon "$@")
dilxc_log "running the claim benchmark (${DILXC_BENCH_CLAIM_JOBS:-1000} jobs, ${DILXC_BENCH_CLAIM_SANDBOXES:-50} sandboxes; passes: ${DILXC_BENCH_CLAIM_PASSES:-h2:1 postgresql:1 postgresql:3})"
"$JAVA_HOME/bin/java" -cp "$classpath" dev.dilxc.daemon.jobs.ClaimThroughputBenchmark
