#!/usr/bin/env bash
# Makes this machine ready for real-LXD tests: packages, id maps, a running LXD
# daemon, a btrfs storage pool "default" and a default profile whose root disk
# lives on it. No network is created: sandboxes get no NIC at all.
#
# Idempotent and cheap when everything is already in place (a few lxc queries),
# so the test suite can call it before every run.
#
# Env:
#   DILXC_POOL_SIZE   size of the btrfs loop file when the pool is created (default 15GiB)
#   DILXC_LXD_LOG     daemon log when started without systemd (default /var/log/dilxc-lxd.log)
set -euo pipefail

# Maven/CI and non-login shells often lack the sbin dirs; LXD (started from
# here) shells out to mkfs.btrfs, btrfs, unsquashfs, ... and must find them.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export DEBIAN_FRONTEND=noninteractive

POOL_SIZE=${DILXC_POOL_SIZE:-15GiB}
LXD_LOG=${DILXC_LXD_LOG:-/var/log/dilxc-lxd.log}
LXD_SOCKET=/var/lib/lxd/unix.socket
# Everything the host side needs, including what build-image.sh uses, so that a
# fresh CI machine needs exactly one apt-get run (procps: this script's pgrep and
# ps, which a minimal Debian lacks; the programs tests run are test-host.sh's).
PACKAGES=(lxd lxd-client btrfs-progs debootstrap debian-archive-keyring
          squashfs-tools xz-utils uidmap curl ca-certificates pigz util-linux procps)

log() { printf 'setup-lxd: %s\n' "$*" >&2; }
die() { printf 'setup-lxd: ERROR: %s\n' "$*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || die "must run as root"

# Two test modules may call this at the same time; serialise them. The lock fd
# is closed for the daemon we start (see start_lxd), or LXD would hold it forever.
mkdir -p /run/lock
exec 9>/run/lock/dilxc-setup-lxd.lock
flock -w 300 9 || die "another setup-lxd.sh holds /run/lock/dilxc-setup-lxd.lock for > 300 s"

# --- packages ---------------------------------------------------------------
missing=()
for p in "${PACKAGES[@]}"; do
    # dpkg-query is ~10 ms per package; apt-get would be seconds.
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [[ $status == "install ok installed" ]] || missing+=("$p")
done
if ((${#missing[@]})); then
    log "installing: ${missing[*]}"
    apt-get update -qq || die "apt-get update failed"
    # Debian's postinst tries to start LXD through its init script. It may or may
    # not succeed (policy-rc.d, no systemd); the start logic below copes either way.
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
        || die "apt-get install ${missing[*]} failed"
fi
for c in lxd lxc mkfs.btrfs debootstrap flock setsid pgrep; do
    command -v "$c" >/dev/null || die "'$c' not found after package install"
done

# --- daemon helpers -----------------------------------------------------------
systemd_is_init() { [[ -d /run/systemd/system ]] && [[ $(ps -o comm= -p 1 2>/dev/null) == systemd ]]; }

lxd_responds() { timeout 10 lxc query /1.0 >/dev/null 2>&1; }

# Only the daemon itself: every running container also has an "lxd" process
# (its "[lxc monitor]", plus forkproxy/forkexec helpers) that survives a killed
# daemon and must not be mistaken for it. The daemon is "lxd" with only flags.
lxd_pids() {
    local pid argv
    for pid in $(pgrep -x lxd 2>/dev/null); do
        mapfile -d '' -t argv <"/proc/$pid/cmdline" 2>/dev/null || continue
        [[ ${#argv[@]} -gt 0 && ${argv[0]##*/} == lxd ]] || continue
        if ((${#argv[@]} == 1)) || [[ ${argv[1]} == -* ]]; then
            echo "$pid"
        fi
    done
}

start_lxd() {
    if systemd_is_init; then
        log "starting lxd.service (systemd)"
        systemctl start lxd.socket lxd.service || die "systemctl start lxd failed (journalctl -u lxd)"
    else
        # A socket file without a listener (daemon killed) is harmless: LXD probes
        # it at start-up and removes it when nobody answers.
        log "starting lxd daemon (log: $LXD_LOG)"
        mkdir -p "$(dirname "$LXD_LOG")"
        # setsid + stdin/stdout/stderr away from our caller: the daemon must
        # outlive this script and must not keep Maven's/CI's pipes open (they
        # would wait for EOF forever). fd 9 is our flock, which it must not inherit.
        (
            cd /
            # LXD wants many fds (one log + monitor per container); take what we may.
            ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
            exec setsid -f lxd --group root --logfile "$LXD_LOG" \
                </dev/null >>"$LXD_LOG.stdout" 2>&1 9>&-
        ) || die "could not spawn lxd"
    fi
    if ! lxd waitready --timeout 60; then
        tail -n 20 "$LXD_LOG" "$LXD_LOG.stdout" >&2 2>/dev/null || true
        die "LXD did not become ready in 60 s; see $LXD_LOG and $LXD_LOG.stdout"
    fi
}

stop_lxd() {
    if systemd_is_init; then
        systemctl stop lxd.service lxd.socket || die "systemctl stop lxd failed"
    else
        # "lxd shutdown" stops the instances cleanly before the daemon exits.
        lxd shutdown --timeout 120 || die "lxd shutdown failed"
    fi
}

ensure_lxd_running() {
    lxd_responds && return 0
    local pids
    pids=$(lxd_pids)
    if [[ -n $pids ]]; then
        # Still starting (e.g. just launched by a package postinst or another
        # caller): give it the time a normal start gets rather than start a second one.
        log "lxd process already present (pid $(echo "$pids" | tr '\n' ' ')), waiting for it"
        lxd waitready --timeout 60 && return 0
        die "an lxd process (pid $pids) exists but does not answer on $LXD_SOCKET; stop it and rerun"
    fi
    start_lxd
}

# --- subordinate ids ----------------------------------------------------------
# raw.idmap "both 1000 1000" (host uid 1000 <-> sandbox user ubuntu) needs root to
# own host id 1000 as well as its usual range. LXD reads these files only at
# start-up, so they are fixed before starting it, and it is restarted if it was
# already running when they changed.
idmap_changed=0
for f in /etc/subuid /etc/subgid; do
    touch "$f"
    if ! grep -qx 'root:1000:1' "$f"; then
        log "adding root:1000:1 to $f"
        echo 'root:1000:1' >>"$f"
        idmap_changed=1
    fi
    # LXD also needs root's regular allocation; Debian's lxd preinst adds it, but
    # only when it creates the _lxd user, so a hand-edited file may lack it.
    if ! awk -F: '$1 == "root" && $3 >= 65536 { found = 1 } END { exit !found }' "$f"; then
        die "$f has no range of >= 65536 ids for root (expected e.g. root:100000:10000001)"
    fi
done

if ((idmap_changed)) && { lxd_responds || [[ -n $(lxd_pids) ]]; }; then
    log "restarting LXD so it picks up the new id map"
    lxd_responds || lxd waitready --timeout 60 || die "lxd process exists but does not answer; stop it and rerun"
    stop_lxd
fi
ensure_lxd_running

# --- storage pool -------------------------------------------------------------
if ! driver=$(lxc query /1.0/storage-pools/default 2>/dev/null | sed -n 's/^[[:space:]]*"driver": "\(.*\)",\{0,1\}$/\1/p'); then
    driver=""
fi
if [[ -z $driver ]]; then
    # A loop file left behind by a wiped LXD database would make create fail
    # with a cryptic error; move it aside instead of deleting someone's data.
    stale=/var/lib/lxd/disks/default.img
    if [[ -e $stale ]]; then
        log "moving stale $stale aside to $stale.stale.$(date +%s)"
        mv "$stale" "$stale.stale.$(date +%s)"
    fi
    log "creating btrfs storage pool 'default' (size=$POOL_SIZE)"
    lxc storage create default btrfs "size=$POOL_SIZE" >/dev/null || die "lxc storage create default btrfs failed"
elif [[ $driver != btrfs ]]; then
    log "WARNING: storage pool 'default' uses driver '$driver', not btrfs; snapshots will be slower"
fi
pool_status=$(lxc query /1.0/storage-pools/default | sed -n 's/^[[:space:]]*"status": "\(.*\)",\{0,1\}$/\1/p')
[[ $pool_status == Created ]] || die "storage pool 'default' is in state '$pool_status' (see $LXD_LOG)"

# --- default profile ----------------------------------------------------------
if ! root_pool=$(lxc profile device get default root pool 2>/dev/null); then
    log "adding root disk on pool 'default' to the default profile"
    lxc profile device add default root disk path=/ pool=default >/dev/null \
        || die "could not add root disk to the default profile"
elif [[ $root_pool != default ]]; then
    log "pointing the default profile's root disk at pool 'default' (was '$root_pool')"
    lxc profile device set default root pool default || die "could not change the root disk pool"
fi

# Sandboxes must have no NIC; a leftover "lxd init" may have put eth0 in the profile.
while read -r dev; do
    [[ -n $dev ]] || continue
    if [[ $(lxc profile device get default "$dev" type 2>/dev/null) == nic ]]; then
        log "removing NIC device '$dev' from the default profile"
        lxc profile device remove default "$dev" >/dev/null || die "could not remove NIC '$dev'"
    fi
done < <(lxc profile device list default)

log "ready (pool default: $(lxc storage get default size 2>/dev/null || echo '?'), lxd $(lxd --version))"
