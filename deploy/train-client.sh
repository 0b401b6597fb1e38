#!/usr/bin/env bash
# Makes dilxc-client's start-up cache: the client jar extracted to plain jars plus a JDK AOT cache
# (JDK 25+; AppCDS archive on JDK 21-24) recorded from one interactive-shell session running the
# everyday commands (help, jobs, jobs --json, job, schedules, report, ...) against a throwaway
# daemon on a temporary socket and data directory (no LXD needed, nothing of yours touched).
# The launcher (bin/dilxc-client, next to this script's bin/ or in the same directory) uses it
# while the jar, the Java and the flags stay what they were here; run this again after each
# rebuild or Java upgrade (the install script does). Takes 10-30 s.
#
# Usage: train-client.sh            # the jar the launcher would pick (DILXC_CLIENT_JAR, DILXC_HOME, repo)
# Environment: as for bin/dilxc-client and bin/dilxc-daemon (DILXC_CLIENT_JAR, DILXC_DAEMON_JAR,
# DILXC_HOME, JAVA_HOME, DILXC_CLIENT_CACHE_DIR). Without a daemon jar it trains on the same session
# with no daemon (the error paths), which still covers most of the start-up.
set -euo pipefail

here=$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")
if [[ -x "$here/bin/dilxc-client" ]]; then
    bin=$here/bin
elif [[ -x "$here/dilxc-client" ]]; then
    bin=$here
else
    printf 'train-client.sh: cannot find dilxc-client next to %s\n' "$here" >&2
    exit 70
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/dilxc-train.XXXXXX")
daemon_pid=""
cleanup() {
    if [[ -n "$daemon_pid" ]]; then
        kill "$daemon_pid" 2>/dev/null || true
        wait "$daemon_pid" 2>/dev/null || true
    fi
    rm -rf -- "$work"
}
trap cleanup EXIT

export DILXC_SOCKET=$work/daemon.sock
unset DILXC_CONTAINER
if [[ -x "$bin/dilxc-daemon" ]]; then
    DILXC_DATA_DIR=$work/data "$bin/dilxc-daemon" >"$work/daemon.log" 2>&1 </dev/null &
    daemon_pid=$!
    for _ in $(seq 1 120); do
        [[ -S "$DILXC_SOCKET" ]] && break
        kill -0 "$daemon_pid" 2>/dev/null || break
        sleep 0.5
    done
    if [[ ! -S "$DILXC_SOCKET" ]]; then
        printf 'train-client.sh: the throwaway daemon did not start (training without it); its log:\n' >&2
        tail -n 5 "$work/daemon.log" >&2 || true
    fi
fi

# A job so that 'jobs', 'job' and 'logs' render rows, not just "no jobs"; it fails at once for want
# of a sandbox, which is fine here.
if [[ -S "$DILXC_SOCKET" ]]; then
    DILXC_CLIENT_AOT=off "$bin/dilxc-client" submit --sandbox dilxc-train-none -- "training" \
        >/dev/null 2>&1 || true
fi

# One JVM, many commands: the interactive shell reads them from stdin.
cd "$work"
printf '%s\n' help 'jobs' 'jobs --json' 'jobs --all --limit 5' 'job 1' 'job 1 --json' 'logs 1' \
    'schedules' 'schedules --json' 'report' 'report --json' 'status' 'web' 'job 999999' 'frobnicate' 'submit --help' \
    'jobs' exit \
    | DILXC_CLIENT_TRAIN=1 "$bin/dilxc-client" >/dev/null 2>"$work/train.err" || {
        printf 'train-client.sh: training failed:\n' >&2
        cat "$work/train.err" >&2
        exit 70
    }
printf 'dilxc-client: start-up cache trained (%s)\n' \
    "${DILXC_CLIENT_CACHE_DIR:-${XDG_CACHE_HOME:-${HOME:-/nonexistent}/.cache}/dilxc/client}" >&2
