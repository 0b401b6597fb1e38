#!/usr/bin/env bash
# Makes Incus usable beside LXD on a host without systemd: installs it
# (install-incus.sh), starts incusd by hand when it does not answer, and applies
# incus-preseed.yaml (btrfs pool "default", default profile with only a root disk, no
# network) when the pool is missing. Never touches LXD.
# Idempotent: ~0.2 s when everything is in place.
#
# Env:
#   INCUS_LOG    daemon log (default /var/log/incus/incus.log)
#   INCUS_GROUP  group owning /var/lib/incus/unix.socket (default incus-admin)
set -euo pipefail

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
INCUS_LOG=${INCUS_LOG:-/var/log/incus/incus.log}
INCUS_GROUP=${INCUS_GROUP:-incus-admin}
INCUSD=/usr/libexec/incus/incusd

log() { printf 'setup-incus: %s\n' "$*" >&2; }
die() { printf 'setup-incus: ERROR: %s\n' "$*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || die "must run as root"

mkdir -p /run/lock
exec 9>/run/lock/dilxc-setup-incus.lock
flock -w 300 9 || die "another setup-incus.sh holds the lock for > 300 s"

if [[ ! -x $INCUSD ]] || ! command -v incus >/dev/null; then
    "$HERE/install-incus.sh"
fi

incus_responds() { timeout 10 incus query /1.0 >/dev/null 2>&1; }

# The daemon only: "incusd" with flags. Container monitors also have comm "incusd"
# (argv[0] "[lxc monitor] ..."), forkexec/forkproxy helpers carry a subcommand.
incusd_pids() {
    local pid argv
    for pid in $(pgrep -x incusd 2>/dev/null); do
        mapfile -d '' -t argv <"/proc/$pid/cmdline" 2>/dev/null || continue
        [[ ${#argv[@]} -gt 0 && ${argv[0]##*/} == incusd ]] || continue
        if ((${#argv[@]} == 1)) || [[ ${argv[1]} == -* ]]; then
            echo "$pid"
        fi
    done
}

if ! incus_responds; then
    pids=$(incusd_pids)
    if [[ -n $pids ]]; then
        log "incusd already present (pid $pids), waiting for it"
    else
        log "starting incusd (log: $INCUS_LOG)"
        mkdir -p "$(dirname "$INCUS_LOG")"
        (
            cd /
            ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
            exec setsid -f "$INCUSD" --group "$INCUS_GROUP" --logfile "$INCUS_LOG" \
                </dev/null >>"$INCUS_LOG.stdout" 2>&1 9>&-
        ) || die "could not spawn incusd"
    fi
    incus admin waitready --timeout 60 || die "incusd not ready in 60 s; see $INCUS_LOG"
fi

if ! incus query /1.0/storage-pools/default >/dev/null 2>&1; then
    stale=/var/lib/incus/disks/default.img
    if [[ -e $stale ]]; then
        log "moving stale $stale aside"
        mv "$stale" "$stale.stale.$(date +%s)"
    fi
    log "applying $HERE/incus-preseed.yaml"
    incus admin init --preseed <"$HERE/incus-preseed.yaml" || die "incus admin init --preseed failed"
fi

log "ready (incus $(incus query /1.0 | sed -n 's/^[[:space:]]*"server_version": "\(.*\)",\{0,1\}$/\1/p'))"
