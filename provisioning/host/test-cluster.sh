#!/usr/bin/env bash
# A real LXD (or Incus) cluster of three members on this one machine, for tests of sandboxes spread
# over a cluster, formed the way LXD's own test suite does it (test/includes/clustering.sh): every
# member its own daemon with its own LXD_DIR (INCUS_DIR), its own unix socket and its own address.
# The host's main LXD and Incus (/var/lib/lxd, /var/lib/incus) are never touched.
#
#   test-cluster.sh up [lxd|incus]       form the cluster (idempotent: ~1 s when it is already up)
#   test-cluster.sh down [lxd|incus]     remove it (no back end named: every one, and the directory)
#   test-cluster.sh status [lxd|incus]   print what exists; exit 0 healthy, 1 degraded, 3 absent
#   test-cluster.sh kill-member N [lxd|incus]   SIGKILL member N's daemon (its containers live on)
#   test-cluster.sh stop-member N [lxd|incus]   'lxd shutdown' of member N (its containers stop)
#   test-cluster.sh start-member N [lxd|incus]  start member N again (in its namespace, same
#                                               environment) and wait until it answers
#
# What it creates, all of it under $DILXC_TEST_CLUSTER_DIR (default /var/lib/dilxc-test-cluster):
#   bin/dilxc-tc-lxd, bin/dilxc-tc-incusd   symlinks to /usr/bin/lxd and /usr/libexec/incus/incusd;
#                                   the members run under these names, so nothing that looks for
#                                   the host's daemon by name (pgrep -x lxd, setup-lxd.sh) finds them
#   <backend>/member<N>/            the member's LXD_DIR / INCUS_DIR: database, unix.socket, images,
#                                   disks/default.img (its btrfs pool "default": a sparse loop file)
#   <backend>/logs/member<N>.log    the member's daemon log (+ .stdout)
#   <backend>/clients/member<N>/lxc (or incus)  a client wrapper pointed at that member, usable as
#                                   dilxc.lxd.executable
#   <backend>/cluster.env           what a test needs: addresses, directories, clients, the image
#   <backend>/netns/*               (netns mode only) the network namespaces, bind-mounted there
# and, while it runs, per member: one daemon process (nice 10), loop device, btrfs and tmpfs mounts
# below member<N>/, and the containers the tests start. No bridge, veth, address, route, firewall
# rule or dnsmasq is put in the host's network namespace, and the host's apt sources are untouched.
# Outside the directory: the lock file /run/lock/dilxc-test-cluster.lock (empty, like the other
# provisioning scripts' locks), packages installed when missing (below), and two lines in
# /etc/subuid and /etc/subgid (root:1000:1, as setup-lxd.sh adds, when missing).
#
# Addresses (DILXC_TEST_CLUSTER_NET):
#   loopback (default)  members in the host's network namespace on 127.42.1.N:8443 (LXD) or
#                       127.42.2.N:8443 (Incus); proxy devices of every member reach the host's
#                       127.0.0.1, as on a single host. Nothing is configured: 127/8 is lo's.
#   netns               each member in a network namespace of its own, 10.1.1.(10+N)/24 (LXD) or
#                       10.1.2.(10+N)/24 (Incus) on a veth into a bridge that lives in a further
#                       namespace ("hub"); no route out, so the members cannot reach anything but
#                       each other. A proxy device's connect side is then the member's own
#                       namespace (connect=tcp:127.0.0.1:P reaches nothing; connect=unix:PATH works).
#                       NIC devices do not work in this mode (the daemon sees the host's /sys).
# In loopback mode the daemons get HTTPS_PROXY/HTTP_PROXY=http://127.0.0.1:9 (nothing listens
# there): LXD and Incus fetch instance types from images.linuxcontainers.org at every start, and this
# makes that fetch fail locally instead of resolving a name; cluster traffic goes to loopback
# addresses, which never use a proxy. In netns mode the fetch fails for want of a route. images.auto_update_interval=0 and no remotes: no image
# server is ever asked. The golden image comes from provisioning/image/build-image.sh, which imports
# its cached tarballs (building them only when the cache is empty) through member 1; the cluster
# copies it to every member (cluster.images_minimal_replica=-1).
#
# Env:
#   DILXC_TEST_CLUSTER_DIR        where everything lives (default /var/lib/dilxc-test-cluster; its
#                                 last component must start with dilxc-test-cluster)
#   DILXC_TEST_CLUSTER_BACKEND    lxd (default) or incus, when the command names none
#   DILXC_TEST_CLUSTER_NET        loopback (default) or netns
#   DILXC_TEST_CLUSTER_MEMBERS    number of members (default 3)
#   DILXC_TEST_CLUSTER_POOL_SIZE  each member's btrfs loop file (default 5GiB, sparse)
#   DILXC_TEST_CLUSTER_IMAGE      image alias to import (default dilxc-golden; "none": no image)
#   DILXC_TEST_CLUSTER_OFFLINE_THRESHOLD  cluster.offline_threshold in s (default 20, minimum 11; every
#                                 'up' sets it, also on a cluster already up; the tests ask for 11)
#   DILXC_TEST_CLUSTER_NICE       niceness of the daemons and their containers (default 10)
#   DILXC_TEST_CLUSTER_KEEP_ON_FAILURE=1  leave a failed 'up' in place for a look instead of removing it
#
# Packages installed when missing: lxd lxd-client (LXD) or, through install-incus.sh, incus-base
# incus-client (Incus); btrfs-progs uidmap util-linux iproute2; and what build-image.sh checks for
# (debootstrap debian-archive-keyring curl ca-certificates pigz xz-utils squashfs-tools).
# Measured on the 2-core test machine (docs/cluster-notes.md): up 7-14 s with the image tarballs cached
# (0.3 s when already up), down 2-9 s.
set -euo pipefail
shopt -s inherit_errexit

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export DEBIAN_FRONTEND=noninteractive

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DIR=${DILXC_TEST_CLUSTER_DIR:-/var/lib/dilxc-test-cluster}
NET=${DILXC_TEST_CLUSTER_NET:-loopback}
MEMBERS=${DILXC_TEST_CLUSTER_MEMBERS:-3}
POOL_SIZE=${DILXC_TEST_CLUSTER_POOL_SIZE:-5GiB}
IMAGE=${DILXC_TEST_CLUSTER_IMAGE:-dilxc-golden}
OFFLINE_THRESHOLD=${DILXC_TEST_CLUSTER_OFFLINE_THRESHOLD:-20}
NICENESS=${DILXC_TEST_CLUSTER_NICE:-10}
PORT=8443
# A port nobody listens on: the daemons' HTTP(S) proxy, so their internet fetches fail at once.
DEAD_PROXY=http://127.0.0.1:9
LOCK=/run/lock/dilxc-test-cluster.lock
START=$SECONDS

log() { printf 'test-cluster: [%3ds] %s\n' "$((SECONDS - START))" "$*" >&2; }
die() { printf 'test-cluster: ERROR: %s\n' "$*" >&2; exit 1; }

# --- the back end -----------------------------------------------------------------------------
# Sets the variables naming one back end's programs, its directory and its address range.
select_backend() { # lxd|incus
    BACKEND=$1
    CL=$DIR/$BACKEND
    case $BACKEND in
        lxd)
            DAEMON=/usr/bin/lxd LINK=dilxc-tc-lxd DIRVAR=LXD_DIR CLIENT=lxc
            ADMIN=(lxd) LOOPBACK_NET=127.42.1 NETNS_NET=10.1.1
            ;;
        incus)
            DAEMON=/usr/libexec/incus/incusd LINK=dilxc-tc-incusd DIRVAR=INCUS_DIR CLIENT=incus
            ADMIN=(incus admin) LOOPBACK_NET=127.42.2 NETNS_NET=10.1.2
            ;;
        *) die "unknown back end '$1': use lxd or incus" ;;
    esac
}

member_dir() { echo "$CL/member$1"; }

member_address() { # N -> HOST:PORT
    case $NET in
        loopback) echo "$LOOPBACK_NET.$1:$PORT" ;;
        netns) echo "$NETNS_NET.$((10 + $1)):$PORT" ;;
    esac
}

# Runs a command as a client of member N: its directory in the environment, and in netns mode
# inside the member's namespace, so that a cluster address is never looked for in the host's
# network (where 10.1.x.y would go out of the default route).
in_member() { # N CMD...
    local n=$1
    shift
    if [[ $NET == netns ]]; then
        env "$DIRVAR=$(member_dir "$n")" nsenter "--net=$CL/netns/member$n" "$@"
    else
        env "$DIRVAR=$(member_dir "$n")" "$@"
    fi
}
client() { local n=$1; shift; in_member "$n" "$CLIENT" "$@"; }
admin() { local n=$1; shift; in_member "$n" "${ADMIN[@]}" "$@"; }
answers() { timeout 10 env "$DIRVAR=$(member_dir "$1")" "$CLIENT" query /1.0 >/dev/null 2>&1; }

# --- what belongs to a cluster ------------------------------------------------------------------
# Every process of the members under PREFIX: the daemons and their helpers (forkproxy, forkexec, ...:
# the daemon's binary with LXD_DIR/INCUS_DIR under PREFIX in their environment), the containers'
# "[lxc monitor] PREFIX/..." processes and the containers' init processes (the monitors' children).
# The host's main daemons have no such directory and their monitors name /var/lib/lxd or /var/lib/incus.
cluster_pids() { # PREFIX
    local prefix=$1 p pid exe argv0 env_line monitors=()
    for p in /proc/[0-9]*; do
        pid=${p#/proc/}
        exe=$(readlink "$p/exe" 2>/dev/null) || continue
        [[ $exe == /usr/bin/lxd || $exe == /usr/libexec/incus/incusd ]] || continue
        argv0=$(tr '\0' '\n' 2>/dev/null <"$p/cmdline" | head -n1) || continue
        if [[ $argv0 == "[lxc monitor] $prefix/"* ]]; then
            monitors+=("$pid")
            echo "$pid"
            continue
        fi
        while IFS= read -r env_line; do
            if [[ $env_line == LXD_DIR="$prefix"/* || $env_line == INCUS_DIR="$prefix"/* ]]; then
                echo "$pid"
                break
            fi
        done < <(tr '\0' '\n' 2>/dev/null <"$p/environ")
    done
    for pid in "${monitors[@]}"; do
        # The container's init (and, in case, anything else the monitor forked).
        tr ' ' '\n' 2>/dev/null <"/proc/$pid/task/$pid/children" | sed '/^$/d' || true
    done
}

cluster_mounts() { # PREFIX: mount points at or under it, deepest first
    awk -v d="$1" '{ m = $5; gsub(/\\040/, " ", m) } m == d || index(m, d "/") == 1 { print m }' \
        /proc/self/mountinfo | sort -r
}

cluster_loops() { # PREFIX: loop devices whose backing file is under it
    losetup -l -n -O NAME,BACK-FILE 2>/dev/null | awk -v d="$1/" 'index($2, d) == 1 { print $1 }'
}

# The cgroups of the containers among PIDS (their monitors and inits): the top-level
# lxc.payload.NAME and lxc.monitor.NAME, NAME as liblxc made it unique on this host (a second
# container of one name, in any daemon, gets NAME-1). liblxc removes them when a container stops;
# a SIGKILLed container leaves them behind, empty, in every hierarchy.
container_cgroups() { # PID...
    local pid
    for pid in "$@"; do
        sed -nE 's#^[0-9]+:[^:]*:/(lxc\.(payload|monitor)\.[^/]+).*#\1#p' "/proc/$pid/cgroup" 2>/dev/null || true
    done | sort -u
}

# Removes the cgroups named (top-level names from container_cgroups) in every cgroup hierarchy,
# deepest first. rmdir removes only a cgroup without processes; the processes of a killed
# container's pid namespace take a moment to go, hence the rounds.
remove_cgroups() { # NAME...
    local round name hierarchy left hierarchies
    (($#)) || return 0
    mapfile -t hierarchies < <(awk '{ for (i = 7; i < NF; i++) if ($i == "-") { if ($(i + 1) ~ /^cgroup2?$/) print $5; break } }' \
        /proc/self/mountinfo)
    for round in 1 2 3 4 5 6 7 8 9 10; do
        left=()
        for hierarchy in "${hierarchies[@]}"; do
            for name in "$@"; do
                [[ -d $hierarchy/$name ]] || continue
                find "$hierarchy/$name" -depth -type d -exec rmdir {} + 2>/dev/null || true
                [[ -d $hierarchy/$name ]] && left+=("$hierarchy/$name")
            done
        done
        ((${#left[@]})) || break
        sleep 0.3
    done
    if ((${#left[@]})); then
        log "WARNING: cgroups left: ${left[*]}"
    else
        log "removed $# container and monitor cgroups (every hierarchy)"
    fi
}

# --- down ---------------------------------------------------------------------------------------
# Removes everything under PREFIX: SIGKILLs the members and their containers (a throwaway cluster
# needs no clean stop, and 'lxd shutdown' of the last members hangs once quorum is gone), unmounts
# what they mounted, detaches their loop devices, drops the namespaces, deletes the files.
remove_tree() { # PREFIX
    local prefix=$1 pids round m loop left cgroups=()
    [[ -e $prefix ]] || return 0
    for round in 1 2 3 4 5 6 7 8 9 10; do
        mapfile -t pids < <(cluster_pids "$prefix" | sort -u)
        ((${#pids[@]})) || break
        ((round == 1)) && log "killing ${#pids[@]} processes of $prefix"
        mapfile -t -O "${#cgroups[@]}" cgroups < <(container_cgroups "${pids[@]}")
        kill -KILL "${pids[@]}" 2>/dev/null || true
        sleep 0.5
    done
    mapfile -t pids < <(cluster_pids "$prefix" | sort -u)
    ((${#pids[@]} == 0)) || log "WARNING: processes still alive after SIGKILL: ${pids[*]}"
    remove_cgroups "${cgroups[@]}"
    log "unmounting $(cluster_mounts "$prefix" | wc -l) mounts"

    while read -r m; do
        [[ -n $m ]] || continue
        umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || log "WARNING: could not unmount $m"
    done < <(cluster_mounts "$prefix")
    # The pools' loop devices are auto-clear: they go with their last mount. Wait a moment for
    # that, then detach any left (a pool whose mount failed).
    for round in 1 2 3 4 5 6 7 8 9 10; do
        [[ -z $(cluster_loops "$prefix") ]] && break
        ((round < 5)) || while read -r loop; do losetup -d "$loop" 2>/dev/null || true; done < <(cluster_loops "$prefix")
        sleep 0.3
    done

    log "deleting $prefix"
    left=$(cluster_mounts "$prefix")
    if [[ -n $left ]]; then
        log "WARNING: still mounted, not deleting $prefix: $(echo "$left" | tr '\n' ' ')"
        return 1
    fi
    rm -rf --one-file-system "$prefix"
    [[ -z $(cluster_loops "$prefix") ]] || log "WARNING: loop devices left: $(cluster_loops "$prefix" | tr '\n' ' ')"
}

cmd_down() { # [lxd|incus]
    if [[ -n ${1:-} ]]; then
        select_backend "$1"
        remove_tree "$CL"
        # The directory goes too once no back end is left in it.
        if [[ -d $DIR && ! -e $DIR/lxd && ! -e $DIR/incus ]]; then
            remove_tree "$DIR"
        fi
    else
        remove_tree "$DIR"
    fi
    log "down"
}

# --- packages -----------------------------------------------------------------------------------
ensure_packages() {
    local packages=(btrfs-progs uidmap util-linux iproute2) p status missing=()
    [[ $BACKEND == lxd ]] && packages+=(lxd lxd-client)
    [[ $IMAGE != none ]] && packages+=(debootstrap debian-archive-keyring curl ca-certificates pigz
        xz-utils squashfs-tools)
    for p in "${packages[@]}"; do
        status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
        [[ $status == "install ok installed" ]] || missing+=("$p")
    done
    if ((${#missing[@]})); then
        log "installing ${missing[*]}"
        { apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=300 "${missing[@]}" >/dev/null 2>&1 ||
            { apt-get update -qq && apt-get install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=300 \
                "${missing[@]}" >/dev/null; }; } || die "apt-get install ${missing[*]} failed"
    fi
    if [[ $BACKEND == incus ]] && { [[ ! -x $DAEMON ]] || ! command -v "$CLIENT" >/dev/null; }; then
        "$HERE/install-incus.sh" || die "install-incus.sh failed"
    fi
    for p in "$DAEMON" "$(command -v "$CLIENT" || echo "$CLIENT")" /usr/bin/nsenter /usr/bin/unshare /sbin/losetup \
        /usr/bin/setsid /usr/bin/flock /bin/ip /sbin/mkfs.btrfs; do
        [[ -x $p ]] || die "$p is missing after installing packages"
    done
    # As setup-lxd.sh: root owns host id 1000 too (raw.idmap "both 1000 1000" in the sandboxes).
    # The members read these files when they start, so this comes before.
    local f
    for f in /etc/subuid /etc/subgid; do
        touch "$f"
        grep -qx 'root:1000:1' "$f" || { log "adding root:1000:1 to $f"; echo 'root:1000:1' >>"$f"; }
        awk -F: '$1 == "root" && $3 >= 65536 { found = 1 } END { exit !found }' "$f" ||
            die "$f has no range of >= 65536 ids for root (expected e.g. root:100000:10000001)"
    done
}

# --- up -----------------------------------------------------------------------------------------
make_namespaces() {
    local n ns hub=$CL/netns/hub
    mkdir -p "$CL/netns"
    for ns in hub $(seq -f 'member%g' 1 "$MEMBERS"); do
        touch "$CL/netns/$ns"
        unshare "--net=$CL/netns/$ns" true || die "could not create network namespace $CL/netns/$ns"
    done
    nsenter "--net=$hub" ip link set lo up
    nsenter "--net=$hub" ip link add br0 type bridge
    nsenter "--net=$hub" ip link set br0 up
    for n in $(seq 1 "$MEMBERS"); do
        nsenter "--net=$hub" ip link add "m$n" type veth peer name eth0 netns "$CL/netns/member$n"
        nsenter "--net=$hub" ip link set "m$n" master br0 up
        nsenter "--net=$CL/netns/member$n" ip link set lo up
        nsenter "--net=$CL/netns/member$n" ip link set eth0 up
        nsenter "--net=$CL/netns/member$n" ip addr add "$NETNS_NET.$((10 + n))/24" dev eth0
    done
}

start_member() { # N
    local n=$1 dir log cmd
    dir=$(member_dir "$n")
    log=$CL/logs/member$n.log
    mkdir -p "$dir" "$CL/logs"
    cmd=(nice -n "$NICENESS" "$DIR/bin/$LINK" --group root --logfile "$log")
    [[ $NET == netns ]] && cmd=(nsenter "--net=$CL/netns/member$n" "${cmd[@]}")
    # In the background without job control this subshell is no process group leader, so setsid
    # does not fork and $! is the daemon itself (nsenter and nice exec too). Its stdio leaves the
    # caller's pipes, the lock's fd 9 is closed for it.
    (
        cd /
        ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
        export "$DIRVAR=$dir"
        # Loopback mode only: a member in its own namespace has no route out, and would send its
        # cluster traffic (to 10.1.x.y, not loopback) to the proxy too.
        if [[ $NET == loopback ]]; then
            export HTTPS_PROXY=$DEAD_PROXY HTTP_PROXY=$DEAD_PROXY https_proxy=$DEAD_PROXY http_proxy=$DEAD_PROXY
            unset NO_PROXY no_proxy
        fi
        exec setsid "${cmd[@]}" </dev/null >>"$log.stdout" 2>&1 9>&-
    ) &
    echo "$!" >"$CL/member$n.pid"
    disown "$!"
}

wait_member() { # N
    local n=$1
    if ! admin "$n" waitready --timeout 60; then
        tail -n 20 "$CL/logs/member$n.log" "$CL/logs/member$n.log.stdout" >&2 2>/dev/null || true
        die "member$n did not become ready in 60 s (log: $CL/logs/member$n.log)"
    fi
}

bootstrap() {
    admin 1 init --preseed <<EOF || die "bootstrapping member1 failed"
config:
  core.https_address: $(member_address 1)
  images.auto_update_interval: "0"
storage_pools:
- name: default
  driver: btrfs
  config:
    size: $POOL_SIZE
profiles:
- name: default
  devices:
    root:
      path: /
      pool: default
      type: disk
cluster:
  server_name: member1
  enabled: true
EOF
    set_offline_threshold
    client 1 config set cluster.images_minimal_replica -- -1 || die "could not set cluster.images_minimal_replica"
}

# cluster.offline_threshold as this run asks, also on a cluster an earlier 'up' formed with another
# value (the tests ask for 11 s, a hand-run 'up' for the default).
set_offline_threshold() {
    [[ $(client 1 config get cluster.offline_threshold 2>/dev/null) == "$OFFLINE_THRESHOLD" ]] && return 0
    client 1 config set cluster.offline_threshold "$OFFLINE_THRESHOLD" ||
        die "could not set cluster.offline_threshold"
    log "cluster.offline_threshold $OFFLINE_THRESHOLD s"
}

join() { # N
    local n=$1 token
    token=$(client 1 cluster add "member$n" --quiet) || die "no join token for member$n"
    # The member's name, the cluster's address and certificate come from the token. The joining
    # 'init' fetches the certificate from that address itself, hence in_member (netns mode).
    admin "$n" init --preseed <<EOF || die "member$n could not join"
cluster:
  enabled: true
  server_address: $(member_address "$n")
  cluster_token: $token
  member_config:
  - entity: storage-pool
    name: default
    key: size
    value: $POOL_SIZE
EOF
}

write_env() {
    local n file=$CL/cluster.env
    {
        echo "# Written by provisioning/host/test-cluster.sh up; sourceable."
        echo "DILXC_TEST_CLUSTER_BACKEND=$BACKEND"
        echo "DILXC_TEST_CLUSTER_NET=$NET"
        echo "DILXC_TEST_CLUSTER_MEMBERS=$MEMBERS"
        echo "DILXC_TEST_CLUSTER_IMAGE=$IMAGE"
        for n in $(seq 1 "$MEMBERS"); do
            echo "DILXC_TEST_CLUSTER_MEMBER${n}_NAME=member$n"
            echo "DILXC_TEST_CLUSTER_MEMBER${n}_DIR=$(member_dir "$n")"
            echo "DILXC_TEST_CLUSTER_MEMBER${n}_SOCKET=$(member_dir "$n")/unix.socket"
            echo "DILXC_TEST_CLUSTER_MEMBER${n}_ADDRESS=$(member_address "$n")"
            echo "DILXC_TEST_CLUSTER_MEMBER${n}_CLIENT=$CL/clients/member$n/$CLIENT"
            echo "DILXC_TEST_CLUSTER_MEMBER${n}_PIDFILE=$CL/member$n.pid"
            [[ $NET == netns ]] && echo "DILXC_TEST_CLUSTER_MEMBER${n}_NETNS=$CL/netns/member$n"
        done
    } >"$file.tmp"
    mv "$file.tmp" "$file"
}

write_clients() {
    local n wrapper
    for n in $(seq 1 "$MEMBERS"); do
        wrapper=$CL/clients/member$n/$CLIENT
        mkdir -p "$(dirname "$wrapper")"
        printf '#!/bin/sh\n# %s of member%s of the dilxc test cluster (written by test-cluster.sh)\n%s=%s\nexport %s\nexec %s "$@"\n' \
            "$CLIENT" "$n" "$DIRVAR" "$(member_dir "$n")" "$DIRVAR" "$(command -v "$CLIENT")" >"$wrapper"
        chmod 0755 "$wrapper"
    done
}

import_image() {
    local fp n waited=0
    [[ $IMAGE == none ]] && return 0
    log "image '$IMAGE' through member1 (provisioning/image/build-image.sh)"
    env "$DIRVAR=$(member_dir 1)" DILXC_LXD_CLIENT="$CLIENT" DILXC_IMAGE="$IMAGE" \
        nice -n "$NICENESS" "$HERE/../image/build-image.sh" || die "build-image.sh failed"
    fp=$(client 1 query "/1.0/images/aliases/$IMAGE" | sed -n 's/^[[:space:]]*"target": "\([0-9a-f]*\)".*/\1/p')
    [[ -n $fp ]] || die "image alias '$IMAGE' missing after the import"
    # The other members get their copy from member1 in the background.
    for n in $(seq 1 "$MEMBERS"); do
        while [[ ! -s $(member_dir "$n")/images/$fp.rootfs && ! -s $(member_dir "$n")/images/$fp ]]; do
            ((waited < 300)) || die "image ${fp:0:12} did not reach member$n in 150 s"
            sleep 0.5
            waited=$((waited + 1))
        done
    done
    log "image ${fp:0:12} on all $MEMBERS members"
}

# Whether a cluster of this shape is up and every member answers and is ONLINE.
healthy() {
    local n online
    [[ -f $CL/cluster.env ]] || return 1
    grep -qx "DILXC_TEST_CLUSTER_NET=$NET" "$CL/cluster.env" || return 1
    grep -qx "DILXC_TEST_CLUSTER_MEMBERS=$MEMBERS" "$CL/cluster.env" || return 1
    for n in $(seq 1 "$MEMBERS"); do answers "$n" || return 1; done
    online=$(client 1 cluster list --format csv 2>/dev/null | grep -c ',ONLINE,' || true)
    [[ $online == "$MEMBERS" ]]
}

on_up_failure() {
    local rc=$?
    ((rc == 0)) && return 0
    if [[ ${DILXC_TEST_CLUSTER_KEEP_ON_FAILURE:-0} == 1 ]]; then
        log "FAILED (exit $rc); left in place as asked: $CL (remove it with: $0 down $BACKEND)"
    else
        log "FAILED (exit $rc); removing what was made"
        cmd_down "$BACKEND" || true
    fi
    exit "$rc"
}

cmd_up() {
    local n online
    case $NET in loopback | netns) ;; *) die "DILXC_TEST_CLUSTER_NET=$NET: use loopback or netns" ;; esac
    if ! [[ $MEMBERS =~ ^[1-9]$ ]]; then
        die "DILXC_TEST_CLUSTER_MEMBERS=$MEMBERS: 1 to 9"
    fi
    if ! [[ $OFFLINE_THRESHOLD =~ ^[0-9]+$ ]] || ((OFFLINE_THRESHOLD <= 10)); then
        die "DILXC_TEST_CLUSTER_OFFLINE_THRESHOLD=$OFFLINE_THRESHOLD: LXD wants more than 10"
    fi
    ensure_packages
    if healthy; then
        log "$BACKEND cluster of $MEMBERS already up ($NET)"
        set_offline_threshold
        import_image
        log "ready: $CL/cluster.env"
        return 0
    fi
    if [[ -e $CL ]]; then
        log "removing an incomplete or different $BACKEND cluster first"
        remove_tree "$CL" || die "could not remove $CL"
    fi
    trap on_up_failure EXIT
    mkdir -p "$DIR/bin" "$CL"
    ln -sfn "$DAEMON" "$DIR/bin/$LINK"
    if [[ $NET == netns ]]; then
        make_namespaces
        log "network namespaces: hub (bridge br0) and $MEMBERS members on $NETNS_NET.0/24"
    fi
    for n in $(seq 1 "$MEMBERS"); do start_member "$n"; done
    for n in $(seq 1 "$MEMBERS"); do wait_member "$n"; done
    log "$MEMBERS $BACKEND daemons answer"
    bootstrap
    for n in $(seq 2 "$MEMBERS"); do join "$n"; done
    online=$(client 1 cluster list --format csv | grep -c ',ONLINE,' || true)
    [[ $online == "$MEMBERS" ]] || die "only $online of $MEMBERS members ONLINE"
    write_clients
    write_env
    log "cluster of $MEMBERS formed ($(member_address 1) ...)"
    import_image
    trap - EXIT
    log "ready: $CL/cluster.env"
}

# --- status -------------------------------------------------------------------------------------
cmd_status() {
    local n pid rc=0 procs mounts loops
    if [[ ! -e $CL ]]; then
        echo "$BACKEND test cluster: absent ($CL)"
        return 3
    fi
    if [[ -f $CL/cluster.env ]]; then
        NET=$(sed -n 's/^DILXC_TEST_CLUSTER_NET=//p' "$CL/cluster.env")
        MEMBERS=$(sed -n 's/^DILXC_TEST_CLUSTER_MEMBERS=//p' "$CL/cluster.env")
    fi
    echo "$BACKEND test cluster in $CL ($NET, $MEMBERS members)"
    for n in $(seq 1 "$MEMBERS"); do
        pid=$(cat "$CL/member$n.pid" 2>/dev/null || echo '?')
        if answers "$n"; then
            echo "  member$n  pid $pid  $(member_address "$n")  answers on $(member_dir "$n")/unix.socket"
        else
            echo "  member$n  pid $pid  $(member_address "$n")  DOES NOT ANSWER"
            rc=1
        fi
    done
    for n in $(seq 1 "$MEMBERS"); do
        if answers "$n"; then
            echo "cluster (asked member$n):"
            client "$n" cluster list --format csv | sed 's/^/  /'
            echo "instances: $(client "$n" list --format csv -c nL | tr '\n' ' ')"
            [[ $IMAGE == none ]] || echo "image $IMAGE: $(client "$n" image list "$IMAGE" --format csv -c f 2>/dev/null || echo missing)"
            break
        fi
    done
    procs=$(cluster_pids "$CL" | sort -u | wc -l)
    mounts=$(cluster_mounts "$CL" | wc -l)
    loops=$(cluster_loops "$CL" | wc -l)
    echo "processes $procs, mounts $mounts, loop devices $loops"
    healthy || rc=1
    return "$rc"
}

# --- one member ---------------------------------------------------------------------------------
# The shape of the cluster as 'up' made it, for the commands that act on an existing one.
load_env() {
    [[ -f $CL/cluster.env ]] || die "no $BACKEND test cluster ($CL/cluster.env missing); run: $0 up $BACKEND"
    NET=$(sed -n 's/^DILXC_TEST_CLUSTER_NET=//p' "$CL/cluster.env")
    MEMBERS=$(sed -n 's/^DILXC_TEST_CLUSTER_MEMBERS=//p' "$CL/cluster.env")
}

member_pid() { # N: the daemon's pid when it is alive, else nothing
    local pid
    pid=$(cat "$CL/member$1.pid" 2>/dev/null) || return 0
    [[ $(readlink "/proc/$pid/exe" 2>/dev/null) == "$DAEMON" ]] && echo "$pid"
    return 0
}

cmd_member() { # kill|stop|start N
    local what=$1 n=$2 pid waited
    [[ $n =~ ^[1-9]$ ]] || die "member number expected, got '$n'"
    load_env
    ((n <= MEMBERS)) || die "the cluster has $MEMBERS members"
    pid=$(member_pid "$n")
    case $what in
        kill)
            [[ -n $pid ]] || die "member$n is not running"
            kill -KILL "$pid"
            for waited in $(seq 1 100); do [[ -e /proc/$pid ]] || break; sleep 0.1; done
            log "member$n (pid $pid) killed; its containers run on"
            ;;
        stop)
            [[ -n $pid ]] || die "member$n is not running"
            admin "$n" shutdown --timeout 120 || die "shutdown of member$n failed"
            log "member$n shut down (its containers stopped)"
            ;;
        start)
            [[ -z $pid ]] || die "member$n is running (pid $pid)"
            start_member "$n"
            wait_member "$n"
            log "member$n started (pid $(cat "$CL/member$n.pid"))"
            ;;
    esac
}

# --- main ---------------------------------------------------------------------------------------
[[ $(id -u) -eq 0 ]] || die "must run as root"
[[ $DIR == /* && $(basename "$DIR") == dilxc-test-cluster* ]] ||
    die "DILXC_TEST_CLUSTER_DIR=$DIR: must be an absolute path whose last component starts with dilxc-test-cluster"
DIR=${DIR%/}
action=${1:-}
target=${2:-}

mkdir -p "$(dirname "$LOCK")"
exec 9>"$LOCK"
flock -w 600 9 || die "another test-cluster.sh holds $LOCK for > 600 s"

case $action in
    up) select_backend "${target:-${DILXC_TEST_CLUSTER_BACKEND:-lxd}}"; cmd_up ;;
    down) [[ -z $target ]] || select_backend "$target"; cmd_down "$target" ;;
    status) select_backend "${target:-${DILXC_TEST_CLUSTER_BACKEND:-lxd}}"; cmd_status ;;
    kill-member | stop-member | start-member)
        select_backend "${3:-${DILXC_TEST_CLUSTER_BACKEND:-lxd}}"
        cmd_member "${action%-member}" "$target"
        ;;
    *) die "usage: $0 up|down|status [lxd|incus], or kill-member|stop-member|start-member N [lxd|incus]" ;;
esac
