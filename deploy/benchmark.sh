#!/usr/bin/env bash
# Benchmark of the daemon's own overhead per job (submit -> agent start, agent exit -> terminal state),
# next to raw 'lxc snapshot' / 'lxc exec -- true' (/ 'lxc restore') times measured in the same run, on
# LXD and then on Incus (the 'incus' verbs), with the daemon's store H2 and then PostgreSQL (a fresh database on
# the test server that provisioning/host/setup-postgresql.sh starts), with a side-by-side table at the end.
# Runs the daemon in-process against one real sandbox launched from the test image; see
# daemon/src/test/java/dev/dilxc/daemon/bench/JobOverheadBenchmark.java for what each figure means.
#
# From a clean clone (as root, like the tests): provisioning/test-host.sh is run first (fast when ready).
# Options (environment): DILXC_BENCH_JOBS (25) counted jobs per series, DILXC_BENCH_WARMUP (3) jobs not
# counted, DILXC_BENCH_SERIES (never,always) restore policies, one series each, DILXC_BENCH_GAP_MS (1000)
# pause after each job and after the raw samples taken between jobs, DILXC_BENCH_BACKENDS ("lxd incus")
# which back ends, in that order, DILXC_BENCH_STORES ("h2 postgresql") which stores: all of them on the first back
# end, the first of them on the others (the store's share does not depend on the back end), or on every back end
# with DILXC_BENCH_EVERY_PAIR=1. The default is three runs (LXD on H2, LXD on PostgreSQL, Incus on H2) of about
# 10 minutes each on a busy 2-core machine (two series of 28 jobs, a job and its raw samples ~11 s apart).
# Extra arguments go to Maven.
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
summaries=$(mktemp)
trap 'rm -f "$summaries"' EXIT
read -r -a stores <<<"${DILXC_BENCH_STORES:-h2 postgresql}"
((${#stores[@]})) || dilxc_die "DILXC_BENCH_STORES names no store (h2, postgresql)"
first=1
for backend in ${DILXC_BENCH_BACKENDS:-lxd incus}; do
    if ((first)) || [ "${DILXC_BENCH_EVERY_PAIR:-0}" = 1 ]; then run_stores=("${stores[@]}"); else run_stores=("${stores[0]}"); fi
    first=0
    for store in "${run_stores[@]}"; do
        dilxc_log "running the benchmark on $backend with $store (${DILXC_BENCH_JOBS:-25} jobs + ${DILXC_BENCH_WARMUP:-3} warmup per series: ${DILXC_BENCH_SERIES:-never,always})"
        "$JAVA_HOME/bin/java" -Ddilxc.lxd.backend="$backend" -Ddilxc.bench.store="$store" -cp "$classpath" \
            dev.dilxc.daemon.bench.JobOverheadBenchmark | tee -a "$summaries"
    done
done

# The back ends and stores side by side: medians in ms, from each series' summary line. x-snap: submit-to-start
# over the raw snapshot of the same run; submit-call, to-claim, snap-to-run: the database-heavy parts of
# submit-to-start (the submit's insert, the worker's claim, the snapshot's record and the RUNNING transition).
echo "==== per-job overhead by back end and store (medians, ms) ===="
format='%-6s %-10s %-7s %15s %16s %12s %8s %11s %6s %11s %8s %11s\n'
# shellcheck disable=SC2059 # the format is one variable for the header and the rows
printf "$format" backend store policy submit-to-start exit-to-terminal raw-snapshot raw-exec raw-restore x-snap \
    submit-call to-claim snap-to-run
sed -n 's/^summary: //p' "$summaries" | while read -r line; do
    b=- st=- p=- s2s=- e2t=- rs=- re=- rr=- ratio=- call=- claim=- s2r=-
    # shellcheck disable=SC2086 # the summary's key=value words, split on purpose
    set -- $line
    for word in "$@"; do
        case $word in
            backend=*) b=${word#*=} ;; store=*) st=${word#*=} ;; policy=*) p=${word#*=} ;;
            submit_to_start=*) s2s=${word#*=} ;; exit_to_terminal=*) e2t=${word#*=} ;;
            raw_snapshot=*) rs=${word#*=} ;; raw_exec=*) re=${word#*=} ;; raw_restore=*) rr=${word#*=} ;;
            start_ratio=*) ratio=${word#*=} ;; submit_call=*) call=${word#*=} ;; submit_to_claim=*) claim=${word#*=} ;;
            snapshot_to_running=*) s2r=${word#*=} ;;
        esac
    done
    # shellcheck disable=SC2059
    printf "$format" "$b" "$st" "$p" "$s2s" "$e2t" "$rs" "$re" "$rr" "$ratio" "$call" "$claim" "$s2r"
done
