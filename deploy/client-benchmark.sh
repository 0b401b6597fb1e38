#!/usr/bin/env bash
# Client start-up benchmark: wall time of a one-shot 'dilxc-client jobs' against a running daemon,
# out of the box (java -jar) and through the tuned launcher (Spring AOT + trained JDK AOT cache),
# next to 'lxc list' measured in the same run, the variants taking turns so they share the machine's
# load; then the latency of a command inside the interactive shell.
#
# Needs no LXD and touches nothing of yours: the daemon runs from a copy of its jar on a temporary
# socket and data directory, the cache is trained into a temporary directory. 'lxc list' is measured
# only when it answers.
#
# Options (environment): DILXC_BENCH_RUNS (15) one-shot runs per variant, DILXC_BENCH_SHELL_COMMANDS
# (50) commands typed into the shell, DILXC_BENCH_NO_BUILD=1 to use the jars already in */target.
# Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. deploy/lib.sh

runs=${DILXC_BENCH_RUNS:-15}
shell_commands=${DILXC_BENCH_SHELL_COMMANDS:-50}
dilxc_find_jdk
dilxc_log "using $JAVA_HOME"
java=$JAVA_HOME/bin/java

if [[ "${DILXC_BENCH_NO_BUILD:-}" != 1 ]]; then
    dilxc_find_maven
    dilxc_log "building the daemon and client jars"
    mvn -B -q -ntp -pl daemon/api,daemon,client -am package -DskipTests "$@"
fi
client_jar=$(readlink -f client/target/dilxc-client.jar)
[[ -f "$client_jar" && -f daemon/target/dilxc-daemon.jar ]] || dilxc_die "jars missing: build them (mvn -pl daemon/api,daemon,client -am package -DskipTests)"

work=$(mktemp -d "${TMPDIR:-/tmp}/dilxc-client-bench.XXXXXX")
daemon_pid=""
cleanup() {
    if [[ -n "$daemon_pid" ]]; then
        kill "$daemon_pid" 2>/dev/null || true
        wait "$daemon_pid" 2>/dev/null || true
    fi
    rm -rf -- "$work"
}
trap cleanup EXIT

# A copy of the daemon jar: a rebuild during the run must not pull classes from under it.
cp daemon/target/dilxc-daemon.jar "$work/daemon.jar"
export DILXC_SOCKET=$work/daemon.sock DILXC_DAEMON_JAR=$work/daemon.jar DILXC_CLIENT_JAR=$client_jar
export DILXC_CLIENT_CACHE_DIR=$work/cache
unset DILXC_CONTAINER DILXC_CLIENT_JAVA_OPTS JAVA_TOOL_OPTIONS JDK_JAVA_OPTIONS DILXC_CLIENT_AOT
DILXC_DATA_DIR=$work/data deploy/bin/dilxc-daemon >"$work/daemon.log" 2>&1 </dev/null &
daemon_pid=$!
for _ in $(seq 1 240); do
    [[ -S "$DILXC_SOCKET" ]] && break
    kill -0 "$daemon_pid" 2>/dev/null || { cat "$work/daemon.log" >&2; dilxc_die "the daemon did not start"; }
    sleep 0.5
done
[[ -S "$DILXC_SOCKET" ]] || dilxc_die "the daemon did not make its socket within 120 s"
# One job (it fails at once: no such sandbox), so 'jobs' prints a row, not "no jobs".
DILXC_CLIENT_AOT=off deploy/bin/dilxc-client submit --sandbox dilxc-bench-none -- bench >/dev/null

dilxc_log "training the start-up cache (deploy/train.sh --client)"
train_start=$EPOCHREALTIME
(unset DILXC_SOCKET; deploy/train.sh --client 2>"$work/train.log") || { cat "$work/train.log" >&2; dilxc_die "training failed"; }
train_seconds=$(awk -v a="$train_start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')

lxc_ok=0
lxc list >/dev/null 2>&1 && lxc_ok=1

# Each variant once, checked: exit 0 and the job's row on stdout.
plain() { "$java" -jar "$client_jar" jobs; }
launcher_nocache() { DILXC_CLIENT_AOT=off deploy/bin/dilxc-client jobs; }
launcher() { deploy/bin/dilxc-client jobs; }
lxclist() { lxc list; }
variants=(plain launcher_nocache launcher)
labels=("java -jar dilxc-client.jar jobs (out of the box)" "dilxc-client jobs, no start-up cache" "dilxc-client jobs, tuned (trained cache)")
if [[ $lxc_ok == 1 ]]; then
    variants+=(lxclist)
    labels+=("lxc list")
fi
for v in plain launcher_nocache launcher; do
    out=$($v 2>"$work/err") || { cat "$work/err" >&2; dilxc_die "$v failed"; }
    [[ "$out" == *dilxc-bench-none* ]] || dilxc_die "$v printed no job row: $out"
    [[ ! -s "$work/err" ]] || { cat "$work/err" >&2; dilxc_die "$v wrote to stderr"; }
done

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
dilxc_log "timing $runs runs of each variant, taking turns"
# wall and CPU (user + sys, the launcher's children included) seconds: CPU varies far less with the
# machine's load than wall time does on a shared 2-core host
declare -A samples cpu
TIMEFORMAT='%3R %3U %3S'
for ((i = 0; i < runs; i++)); do
    for v in "${variants[@]}"; do
        read -r real user sys < <({ time $v >/dev/null 2>&1; } 2>&1)
        samples[$v]+="$real "
        cpu[$v]+="$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.3f", u + s }') "
    done
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# median and p90 (nearest rank) of blank-separated seconds
stats() { tr ' ' '\n' | grep . | sort -n | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; p = v[int(NR * 0.9 + 0.999)]; printf "%.3f %.3f %.3f\n", m, p, v[1] }'; }

dilxc_log "timing $shell_commands 'jobs' typed into the interactive shell"
shell_figures=$(python3 - "$shell_commands" <<'EOF' || echo "n/a"
import os, subprocess, sys, time
n = int(sys.argv[1])
prompt = b"dilxc> "
p = subprocess.Popen(["deploy/bin/dilxc-client"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
fd = p.stdout.fileno()
def until_prompt():
    buf = b""
    while not buf.endswith(prompt):
        chunk = os.read(fd, 65536)
        if not chunk:
            raise SystemExit("shell ended early")
        buf += chunk
    return buf
until_prompt()
time.sleep(1)  # a person reads the prompt and types; the shell warms up meanwhile
times = []
for _ in range(n):
    start = time.perf_counter()
    p.stdin.write(b"jobs\n"); p.stdin.flush()
    out = until_prompt()
    times.append(time.perf_counter() - start)
    if b"dilxc-bench-none" not in out:
        raise SystemExit("no job row in the shell's answer")
p.stdin.write(b"exit\n"); p.stdin.close(); p.wait()
first, rest = times[0], sorted(times[1:])
print("%.1f %.1f %.1f %.1f" % (first * 1000, rest[len(rest) // 2] * 1000, rest[int(len(rest) * 0.9)] * 1000, rest[-1] * 1000))
EOF
)

echo
echo "dilxc-client start-up, $(nproc) cores, $("$java" -version 2>&1 | head -n 1), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "load average before/after: $load_before / $load_after; cache training took ${train_seconds} s"
printf '%-52s %8s %8s %8s %8s %8s\n' "one-shot ($runs runs each)" median p90 min "x lxc" "cpu med"
read -r lxc_median _ < <(printf '%s' "${samples[lxclist]:-}" | stats 2>/dev/null || true)
for idx in "${!variants[@]}"; do
    read -r median p90 min < <(printf '%s' "${samples[${variants[$idx]}]}" | stats)
    ratio="-"
    [[ -n "${lxc_median:-}" && "${lxc_median:-0}" != 0.000 ]] && ratio=$(awk -v a="$median" -v b="$lxc_median" 'BEGIN { printf "%.1f", a / b }')
    read -r cpu_median _ < <(printf '%s' "${cpu[${variants[$idx]}]}" | stats)
    printf '%-52s %7.2fs %7.2fs %7.2fs %8s %7.2fs\n' "${labels[$idx]}" "$median" "$p90" "$min" "$ratio" "$cpu_median"
done
[[ $lxc_ok == 1 ]] || echo "(lxc list not measured: LXD does not answer)"
read -r plain_median _ < <(printf '%s' "${samples[plain]}" | stats)
read -r tuned_median _ < <(printf '%s' "${samples[launcher]}" | stats)
awk -v a="$plain_median" -v b="$tuned_median" 'BEGIN { printf "tuned vs out of the box: %.1fx faster\n", a / b }'
if [[ "$shell_figures" == n/a ]]; then
    echo "interactive shell: not measured (needs python3)"
else
    read -r first median p90 max <<<"$shell_figures"
    echo "interactive shell, 'jobs' x $shell_commands: first ${first} ms, then median ${median} ms, p90 ${p90} ms, max ${max} ms"
fi
