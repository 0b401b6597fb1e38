#!/usr/bin/env bash
# Makes the start-up caches of dilxc-daemon and dilxc-client: each jar extracted to plain jars plus a JDK
# AOT cache (JDK 25+; AppCDS archive on JDK 21-24) recorded from real work. A throwaway daemon on a
# temporary socket and data directory (no settings of yours, nothing of yours touched) is given one job
# (it fails at once: its sandbox does not exist) and one interactive client session running the everyday
# commands (help, jobs, jobs --json, job, logs, schedules, report, status, ...), then stopped.
# The launchers (bin/dilxc-daemon and bin/dilxc-client, next to this script's bin/ or in the same
# directory) use a cache while the jar, the Java and their flags stay what they were here; run this again
# after each rebuild or Java upgrade (deploy/install.sh does). Takes 20-40 s.
#
# Usage: train.sh             # both caches
#        train.sh --daemon    # only the daemon's (deploy/install.sh --system: as the service's user)
#        train.sh --client    # only the client's
# Environment: as for bin/dilxc-client and bin/dilxc-daemon (DILXC_CLIENT_JAR, DILXC_DAEMON_JAR,
# DILXC_HOME, JAVA_HOME, DILXC_CLIENT_CACHE_DIR, DILXC_DAEMON_CACHE_DIR). Without a daemon jar the client
# trains on the same session with no daemon (the error paths), which still covers most of its start-up.
set -euo pipefail

usage='usage: train.sh [--daemon] [--client]   (neither: both)'
train_daemon=false train_client=false
for argument in "$@"; do
    case $argument in
        --daemon) train_daemon=true ;;
        --client) train_client=true ;;
        -h|--help) printf '%s\n' "$usage"; exit 0 ;;
        *) printf 'train.sh: unknown argument %s\n%s\n' "$argument" "$usage" >&2; exit 64 ;;
    esac
done
if ! $train_daemon && ! $train_client; then train_daemon=true train_client=true; fi

here=$(dirname -- "$(readlink -f -- "${BASH_SOURCE[0]}")")
if [[ -x "$here/bin/dilxc-client" ]]; then
    bin=$here/bin
elif [[ -x "$here/dilxc-client" ]]; then
    bin=$here
else
    printf 'train.sh: cannot find dilxc-client next to %s\n' "$here" >&2
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
daemon_training=()
if $train_daemon; then daemon_training=(DILXC_DAEMON_TRAIN=1); fi
if [[ -x "$bin/dilxc-daemon" ]]; then
    # Its own empty settings directory, so that the user's settings (a web port in use, say) play no part.
    env -u DILXC_CONFIG "${daemon_training[@]}" DILXC_DATA_DIR="$work/data" XDG_CONFIG_HOME="$work/config" \
        "$bin/dilxc-daemon" >"$work/daemon.log" 2>&1 </dev/null &
    daemon_pid=$!
    for _ in $(seq 1 240); do
        [[ -S "$DILXC_SOCKET" ]] && break
        kill -0 "$daemon_pid" 2>/dev/null || break
        sleep 0.25
    done
fi
if [[ ! -S "$DILXC_SOCKET" ]]; then
    if $train_daemon; then
        printf 'train.sh: the throwaway daemon did not start; its log:\n' >&2
        tail -n 20 "$work/daemon.log" >&2 || true
        exit 70
    fi
    printf 'train.sh: the throwaway daemon did not start (training the client without it); its log:\n' >&2
    tail -n 5 "$work/daemon.log" >&2 || true
fi

# A job so that 'jobs', 'job' and 'logs' render rows, not just "no jobs", and the daemon runs a job's
# path; it fails at once for want of a sandbox, which is fine here.
if [[ -S "$DILXC_SOCKET" ]]; then
    DILXC_CLIENT_AOT=off "$bin/dilxc-client" submit --sandbox dilxc-train-none -- "training" \
        >/dev/null 2>&1 || true
fi

# One JVM, many commands: the interactive shell reads them from stdin.
client_training=()
if $train_client; then client_training=(DILXC_CLIENT_TRAIN=1); fi
cd "$work"
printf '%s\n' help 'jobs' 'jobs --json' 'jobs --all --limit 5' 'job 1' 'job 1 --json' 'logs 1' \
    'schedules' 'schedules --json' 'report' 'report --json' 'status' 'web' 'job 999999' 'frobnicate' 'submit --help' \
    'jobs' exit \
    | env "${client_training[@]}" "$bin/dilxc-client" >/dev/null 2>"$work/train.err" || {
        if $train_client; then
            printf 'train.sh: training the client failed:\n' >&2
            cat "$work/train.err" >&2
            exit 70
        fi
    }

if [[ -n "$daemon_pid" ]]; then
    # SIGTERM, as systemd stops it: a training daemon writes its cache on the way out (10-20 s).
    kill -TERM "$daemon_pid" 2>/dev/null || true
    wait "$daemon_pid" 2>/dev/null || true
    daemon_pid=""
fi
if $train_daemon; then
    if ! DILXC_DAEMON_CACHE_CHECK=1 "$bin/dilxc-daemon"; then
        printf 'train.sh: training the daemon wrote no usable cache; its log:\n' >&2
        tail -n 20 "$work/daemon.log" >&2 || true
        exit 70
    fi
    printf 'dilxc-daemon: start-up cache trained (%s)\n' \
        "${DILXC_DAEMON_CACHE_DIR:-${XDG_CACHE_HOME:-${HOME:-/nonexistent}/.cache}/dilxc/daemon}" >&2
fi
if $train_client; then
    printf 'dilxc-client: start-up cache trained (%s)\n' \
        "${DILXC_CLIENT_CACHE_DIR:-${XDG_CACHE_HOME:-${HOME:-/nonexistent}/.cache}/dilxc/client}" >&2
fi
