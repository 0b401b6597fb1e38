#!/usr/bin/env bash
# Benchmark of the daemon's own overhead per job (submit -> agent start, agent exit -> terminal state),
# next to raw 'lxc snapshot' / 'lxc exec -- true' (/ 'lxc restore') times measured in the same run, on
# LXD and then on Incus (the 'incus' verbs), with a side-by-side table of both at the end.
# Runs the daemon in-process against one real sandbox launched from the test image; see
# daemon/src/test/java/dev/dilxc/daemon/bench/JobOverheadBenchmark.java for what each figure means.
#
# From a clean clone (as root, like the tests): provisioning/test-host.sh is run first (fast when ready).
# Options (environment): DILXC_BENCH_JOBS (25) counted jobs per series, DILXC_BENCH_WARMUP (3) jobs not
# counted, DILXC_BENCH_SERIES (never,always) restore policies, one series each, DILXC_BENCH_GAP_MS (1000)
# pause after each job and after the raw samples taken between jobs, DILXC_BENCH_BACKENDS ("lxd incus")
# which back ends, in that order. Extra arguments go to Maven.
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
for backend in ${DILXC_BENCH_BACKENDS:-lxd incus}; do
    dilxc_log "running the benchmark on $backend (${DILXC_BENCH_JOBS:-25} jobs + ${DILXC_BENCH_WARMUP:-3} warmup per series: ${DILXC_BENCH_SERIES:-never,always})"
    "$JAVA_HOME/bin/java" -Ddilxc.lxd.backend="$backend" -cp "$classpath" dev.dilxc.daemon.bench.JobOverheadBenchmark |
        tee -a "$summaries"
done

# The back ends side by side: medians in ms, from each series' summary line.
echo "==== per-job overhead by back end (medians, ms) ===="
printf '%-6s %-10s %16s %16s %13s %9s %12s\n' backend policy submit-to-start exit-to-terminal raw-snapshot raw-exec raw-restore
sed -n 's/^summary: //p' "$summaries" | while read -r line; do
    # shellcheck disable=SC2086 # the summary's key=value words, split on purpose
    set -- $line
    for word in "$@"; do
        case $word in
            backend=*) b=${word#*=} ;; policy=*) p=${word#*=} ;; submit_to_start=*) s2s=${word#*=} ;;
            exit_to_terminal=*) e2t=${word#*=} ;; raw_snapshot=*) rs=${word#*=} ;; raw_exec=*) re=${word#*=} ;;
            raw_restore=*) rr=${word#*=} ;;
        esac
    done
    printf '%-6s %-10s %16s %16s %13s %9s %12s\n' "$b" "$p" "$s2s" "$e2t" "$rs" "$re" "$rr"
done
