#!/usr/bin/env bash
# install.sh's systemd path for real: the real install.sh, real systemd as PID 1 and a real reboot, in a
# throwaway LXD system container made from the local image dilxc-golden (as root; LXD running and the
# image built, as provisioning/test-host.sh leaves them). The test machines run no systemd as PID 1, so
# this is the only place the user unit, lingering and the reboot are exercised.
#
# The container (dilxc-systemd-test-PID, no NIC, deleted at the end, also on failure) gets, read-only:
# this checkout at /opt/dilxc-src (install.sh --no-build must not write into it), the host's JDK at the
# same path, the host's lxc client; and the host's LXD socket through a proxy device at the path that
# client looks for, group lxd. Its user ubuntu (uid 1000, passwordless sudo as on cloud images) is put in
# that group. The golden image has no pam_systemd (a sandbox needs no logins), without which no login gets
# a user manager: Debian's libpam-systemd of the container's systemd version is installed into it, as
# every Debian/Ubuntu server with systemd has it.
#
# Pins, as ubuntu in a real login (su -l: PAM, a logind session, XDG_RUNTIME_DIR, the user manager):
# install.sh --no-build installs the user unit, enabled and active, lingering on; dilxc-client status
# answers with the daemon's section; a job is recorded. Then lxc restart (systemd reboots) and, with
# nobody logging in, dilxc.service comes back by itself and lists the job from before. uninstall.sh
# disables and removes the unit, stops the daemon, keeps the data; --purge deletes it. A user whom
# logind refuses lingering (no polkit, no sudo) is told the fix. Then the --system --user dilxc path as
# root: the system unit runs as a dedicated user and survives a reboot too. Last root's own user unit, as
# deploy/quickstart.sh (run as root) installs it, across a reboot.
# The container may drive the host's LXD; the test creates or changes no LXD object but its container.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=deploy/lib.sh
. "$repo/deploy/lib.sh"

started=$(date +%s)
image=dilxc-golden
ct=dilxc-systemd-test-$$
src=/opt/dilxc-src
user=ubuntu
uid=1000
home=/home/$user
out=$(mktemp /var/tmp/dilxc-systemd-test.XXXXXX)
tmp_debs=""

passed=0
journal() {
    # The user unit's lines are in the user manager's (user@1000.service) part of the system journal.
    echo "---- the container's journal: user@$uid.service (with the user unit dilxc.service), system dilxc.service ----" >&2
    lxc exec "$ct" -- journalctl --no-pager -n 80 -u "user@$uid.service" -u dilxc.service >&2 2>/dev/null || true
}
fail() {
    echo "test-install-systemd: FAIL: $*" >&2
    [ -s "$out" ] && sed 's/^/    | /' "$out" >&2
    if lxc info "$ct" >/dev/null 2>&1; then journal; fi
    exit 1
}
ok() { passed=$((passed + 1)); echo "test-install-systemd: ok: $* ($(($(date +%s) - started)) s)"; }
contains() { grep -qF -- "$1" "$out" || fail "output lacks '$1'"; }
cleanup() {
    lxc delete --force "$ct" >/dev/null 2>&1 || true
    rm -f "$out"
    [ -z "$tmp_debs" ] || rm -rf "$tmp_debs"
}
trap cleanup EXIT

# In the container as root; as $user in a real login (su -l goes through PAM: pam_systemd opens a logind
# session and starts the user manager); as $user without any login or PAM (a plain process of that uid,
# which reaches the user manager only while it runs, i.e. thanks to lingering after a reboot).
in_ct() { lxc exec "$ct" -T -- "$@"; }
login() { lxc exec "$ct" -T -- su -l "$user" -c "$1"; }
as_user() {
    lxc exec "$ct" -T --cwd "$home" --env HOME="$home" --env XDG_RUNTIME_DIR="/run/user/$uid" -- \
        setpriv --reuid="$uid" --regid="$uid" --init-groups "$@"
}
# Polls "CLIENT... jobs" once a second for up to SECONDS until it answers (its output left in $out), else fails.
await_jobs() {
    local seconds=$1 message=$2 _
    shift 2
    for _ in $(seq 1 "$seconds"); do
        "$@" jobs >"$out" 2>&1 && return 0
        sleep 1
    done
    fail "$message"
}
user_unit_state() { as_user systemctl --user "$1" dilxc.service 2>/dev/null || true; }

# ---- what the test needs on the host: fail with the fix, never skip ---------------------------------------

[ "$(id -u)" -eq 0 ] || { echo "test-install-systemd: run as root (it drives LXD)" >&2; exit 1; }
if ! command -v lxc >/dev/null 2>&1 || ! lxc query /1.0 >/dev/null 2>&1; then
    fail "LXD does not answer; run provisioning/test-host.sh (as root) first"
fi
lxc image info "$image" >/dev/null 2>&1 \
    || fail "no local LXD image '$image'; build it with provisioning/image/build-image.sh (or provisioning/test-host.sh)"
dilxc_find_jdk
jdk=$(readlink -f "$JAVA_HOME")
lxc_bin=$(readlink -f "$(command -v lxc)")
case "$lxc_bin" in
    */snap) fail "lxc is the snap's wrapper ($lxc_bin), which cannot run inside a container; this test needs LXD from the distribution (provisioning/host/setup-lxd.sh)" ;;
esac
host_socket=""
for s in "${LXD_SOCKET:-}" "${LXD_DIR:+$LXD_DIR/unix.socket}" /var/lib/lxd/unix.socket /var/snap/lxd/common/lxd/unix.socket; do
    [ -n "$s" ] && [ -S "$s" ] && { host_socket=$s; break; }
done
[ -n "$host_socket" ] || fail "cannot find LXD's unix socket (LXD_SOCKET, LXD_DIR, /var/lib/lxd, /var/snap/lxd/common/lxd)"

# install.sh --no-build trusts the jars it finds: build them when missing or older than the sources (an
# old daemon jar does not know --print-default-config and would start a daemon instead).
# shellcheck source=deploy/install-lib.sh
. "$repo/deploy/install-lib.sh"
if dilxc_install_needs_build "$repo" "$repo/daemon/target/dilxc-daemon.jar" "$repo/client/target/dilxc-client.jar"; then
    dilxc_find_maven
    dilxc_log "building the jars for the test (mvn package, tests skipped)"
    # shellcheck disable=SC2086 # DILXC_MVN_ARGS: extra Maven arguments, split on blanks by design
    (cd "$repo" && mvn -B -ntp -q ${DILXC_MVN_ARGS:-} -pl daemon/api,daemon,client -am package -DskipTests) \
        || fail "the build failed"
    dilxc_install_record_build "$repo" "$repo/daemon/target/dilxc-daemon.jar" "$repo/client/target/dilxc-client.jar"
fi

# ---- 1./2. the container -----------------------------------------------------------------------------------

# The default profile has only a root disk here: no NIC, and none is added.
lxc launch "$image" "$ct" >"$out" 2>&1 \
    || fail "lxc launch $image failed"
for _ in $(seq 1 60); do
    state=$(in_ct systemctl is-system-running 2>/dev/null || true)
    case "$state" in running|degraded) break ;; esac
    sleep 0.5
done
case "$state" in running|degraded) ;; *) fail "systemd in $ct did not come up (state '$state')" ;; esac
[ "$(in_ct readlink /proc/1/exe)" = /usr/lib/systemd/systemd ] || [ "$(in_ct readlink /proc/1/exe)" = /lib/systemd/systemd ] \
    || fail "PID 1 in $ct is not systemd"

# pam_systemd of exactly the container's systemd version: from apt's cache, else from Debian.
if ! in_ct dpkg -s libpam-systemd >/dev/null 2>&1; then
    # shellcheck disable=SC2016 # dpkg-query's format, not the shell's
    version=$(in_ct dpkg-query -W -f '${Version}' systemd)
    arch=$(in_ct dpkg --print-architecture)
    deb=/var/cache/apt/archives/libpam-systemd_${version//:/%3a}_${arch}.deb
    if [ ! -f "$deb" ]; then
        tmp_debs=$(mktemp -d /var/tmp/dilxc-systemd-debs.XXXXXX)
        (cd "$tmp_debs" && apt-get download -q "libpam-systemd:$arch=$version") >"$out" 2>&1 \
            || fail "cannot get libpam-systemd $version (the container's systemd) from apt; run apt-get update and try again"
        deb=$(ls "$tmp_debs"/libpam-systemd_*.deb)
    fi
    lxc file push "$deb" "$ct/tmp/libpam-systemd.deb" >/dev/null
    in_ct env DEBIAN_FRONTEND=noninteractive dpkg -i /tmp/libpam-systemd.deb >"$out" 2>&1 \
        || fail "installing libpam-systemd in $ct failed"
fi
in_ct sh -c "groupadd -f lxd && usermod -aG lxd $user && mkdir -p /var/lib/lxd $(dirname "$jdk")" >"$out" 2>&1 \
    || fail "could not make group lxd for $user"
lxd_gid=$(in_ct getent group lxd | cut -d: -f3)
{
    lxc config device add "$ct" src disk source="$repo" path="$src" readonly=true
    lxc config device add "$ct" jdk disk source="$jdk" path="$jdk" readonly=true
    lxc config device add "$ct" lxc-client disk source="$lxc_bin" path=/usr/local/bin/lxc readonly=true
    # The client's default socket (/var/lib/lxd/unix.socket): the daemon, started by systemd with no
    # LXD_DIR, finds it too.
    lxc config device add "$ct" lxd-socket proxy connect="unix:$host_socket" listen=unix:/var/lib/lxd/unix.socket \
        bind=container uid=0 gid="$lxd_gid" mode=0660
} >"$out" 2>&1 || fail "could not add the devices to $ct"
in_ct lxc version >"$out" 2>&1 \
    || fail "the host's lxc client ($lxc_bin) does not run in the Debian container (ldd: $(ldd "$lxc_bin" 2>&1 | tr '\n' ' '))"
login 'lxc query /1.0 >/dev/null' >"$out" 2>&1 || fail "LXD does not answer $user in $ct"
# shellcheck disable=SC2016 # expanded by the login shell in the container
login 'echo "XDG_RUNTIME_DIR=$XDG_RUNTIME_DIR"; systemctl --user is-system-running' >"$out" 2>&1 || true
contains "XDG_RUNTIME_DIR=/run/user/$uid"
ok "container $ct: systemd PID 1 ($state), $user in group lxd answered by the host's LXD, a login has a user manager"

# ---- 3. install.sh as the user, in a login -------------------------------------------------------------------

in_ct sh -c "touch $src/.write-test" 2>/dev/null && fail "$src is writable in the container: the read-only check means nothing"
t0=$(date +%s)
login "$src/deploy/install.sh --no-build" >"$out" 2>&1 || fail "install.sh exited $? (above)"
install_s=$(($(date +%s) - t0))
contains "dilxc.service runs and is enabled"
grep -qF "could not enable lingering" "$out" && fail "install.sh could not enable lingering"
unit=$home/.config/systemd/user/dilxc.service
in_ct test -f "$unit" || fail "no user unit at $unit"
in_ct grep -qx "ExecStart=$home/.local/share/dilxc/app/bin/dilxc-daemon" "$unit" || fail "the unit does not run the installed launcher"
[ "$(user_unit_state is-enabled)" = enabled ] || fail "dilxc.service is '$(user_unit_state is-enabled)', not enabled"
[ "$(user_unit_state is-active)" = active ] || fail "dilxc.service is '$(user_unit_state is-active)', not active"
[ "$(in_ct loginctl show-user "$user" -p Linger)" = Linger=yes ] || fail "lingering is not on for $user"
ok "install.sh --no-build from a read-only checkout in ${install_s} s: user unit enabled and active, Linger=yes"

login 'cd && dilxc-client status' >"$out" 2>&1 || fail "dilxc-client status exited $?"
contains "Daemon:    dilxc"
contains "LXD:       reachable"
contains "Socket:    /run/user/$uid/dilxc/daemon.sock"
job=$(login "dilxc-client submit --sandbox no-such-sandbox-$$ 'remember me across the reboot'" 2>"$out") \
    || fail "submit exited $?"
[[ "$job" =~ ^[0-9]+$ ]] || fail "submit printed '$job', not a job id"
login 'dilxc-client jobs' >"$out" 2>&1 || fail "dilxc-client jobs exited $?"
contains "remember me across the reboot"
pid_before=$(as_user systemctl --user show -p MainPID --value dilxc.service)
ok "dilxc-client status answers (daemon, LXD reachable); job $job recorded (daemon pid $pid_before)"

# ---- 4. a reboot, and nobody logs in ----------------------------------------------------------------------------

# /run is a tmpfs: the marker going away proves systemd really went down and came up.
in_ct touch /run/dilxc-before-reboot
t0=$(date +%s)
lxc restart "$ct" >"$out" 2>&1 || fail "lxc restart $ct failed"
restart_s=$(($(date +%s) - t0))
in_ct test ! -e /run/dilxc-before-reboot || fail "/run survived lxc restart: that was no reboot"
state=""
for _ in $(seq 1 120); do
    state=$(user_unit_state is-active)
    [ "$state" = active ] && break
    sleep 1
done
[ "$state" = active ] || fail "dilxc.service is '$state' 120 s after the reboot, not active"
active_s=$(($(date +%s) - t0))
await_jobs 90 "dilxc-client jobs does not answer 90 s after dilxc.service came back" as_user "$home/.local/bin/dilxc-client"
answer_s=$(($(date +%s) - t0))
contains "remember me across the reboot"
[ -z "$(in_ct loginctl list-sessions --no-legend)" ] || fail "a login session exists after the reboot: $(in_ct loginctl list-sessions --no-legend)"
pid_after=$(as_user systemctl --user show -p MainPID --value dilxc.service)
[ "$pid_after" != "$pid_before" ] || fail "the daemon's pid did not change across the reboot ($pid_before)"
lxc exec "$ct" -T -- cat "/proc/$pid_after/cmdline" | tr '\0' ' ' >"$out"
contains "-XX:AOTCache=$home/.cache/dilxc/daemon/"
ok "after a reboot (lxc restart ${restart_s} s) and no login: dilxc.service active at ${active_s} s, answering at ${answer_s} s (from the trained start-up cache), job $job still listed"

# ---- 5. uninstall keeps the data; --purge deletes it ---------------------------------------------------------

login "$src/deploy/uninstall.sh" >"$out" 2>&1 || fail "uninstall.sh exited $?"
contains "stopped and removed the user unit dilxc.service"
contains "kept your data, settings and log"
in_ct test ! -e "$unit" || fail "uninstall left $unit"
state=$(user_unit_state is-enabled)
[ "$state" != enabled ] || fail "dilxc.service is still enabled after uninstall"
state=$(user_unit_state is-active)
[ "$state" != active ] || fail "dilxc.service is still active after uninstall"
if in_ct pgrep -u "$user" -f dilxc-daemon.jar >/dev/null; then fail "a daemon still runs after uninstall"; fi
in_ct test -f "$home/.local/share/dilxc/dilxc.mv.db" || fail "uninstall deleted the database"
in_ct test ! -e "$home/.local/share/dilxc/app" || fail "uninstall left the app directory"
login "$src/deploy/uninstall.sh --purge" >"$out" 2>&1 || fail "uninstall.sh --purge exited $?"
for dir in .local/share/dilxc .config/dilxc .local/state/dilxc; do
    in_ct test ! -e "$home/$dir" || fail "--purge left $home/$dir"
done
ok "uninstall: unit disabled and removed, daemon stopped, database kept; --purge deleted data, settings, state"

# Where logind refuses lingering (no polkit here) and there is no passwordless sudo, install.sh warns
# with the fix instead of failing silently: the real logind answering a user without sudo rights.
in_ct useradd --create-home --groups lxd plain >"$out" 2>&1 || fail "useradd plain failed"
lxc exec "$ct" -T -- su -l plain -c ". $src/deploy/lib.sh && . $src/deploy/install-lib.sh && dilxc_install_linger plain" \
    >"$out" 2>&1 || fail "dilxc_install_linger as plain exited $?"
contains "WARNING: could not enable lingering for plain"
contains "Fix: sudo loginctl enable-linger plain"
# logind keeps its lingering users as files here (show-user fails once plain's session has closed).
in_ct test ! -e /var/lib/systemd/linger/plain || fail "plain lingers, though it may not enable it"
in_ct test -e "/var/lib/systemd/linger/$user" || fail "/var/lib/systemd/linger/$user is gone: the check above means nothing"
ok "lingering refused (no polkit, no sudo): the warning names the fix"

# ---- 6. --system --user dilxc: a dedicated user's system unit survives a reboot too -----------------------

in_ct useradd --system --create-home --home-dir /var/lib/dilxc --shell /usr/sbin/nologin --groups lxd dilxc >"$out" 2>&1 \
    || fail "useradd dilxc failed"
in_ct env HOME=/root "$src/deploy/install.sh" --no-build --system --user dilxc >"$out" 2>&1 \
    || fail "install.sh --system --user dilxc exited $?"
contains "dilxc.service runs as dilxc and is enabled"
[ "$(in_ct systemctl is-enabled dilxc.service)" = enabled ] || fail "the system unit is not enabled"
sys_client() { lxc exec "$ct" -T --cwd /var/lib/dilxc -- setpriv --reuid=dilxc --regid=dilxc --init-groups env HOME=/var/lib/dilxc /usr/local/bin/dilxc-client "$@"; }
sys_job=$(sys_client submit --sandbox "no-such-sandbox-$$" "system unit job" 2>"$out") || fail "submit as dilxc exited $?"
sys_pid=$(in_ct systemctl show -p MainPID --value dilxc.service)
in_ct ps -o user= -p "$sys_pid" >"$out"
contains dilxc
# install.sh trained the daemon's start-up cache as dilxc, in dilxc's home, and the unit's daemon uses it.
lxc exec "$ct" -T -- cat "/proc/$sys_pid/cmdline" | tr '\0' ' ' >"$out"
contains "-XX:AOTCache=/var/lib/dilxc/.cache/dilxc/daemon/"
t0=$(date +%s)
lxc restart "$ct" >"$out" 2>&1 || fail "lxc restart $ct failed"
await_jobs 120 "the system unit's daemon does not answer 120 s after the reboot" sys_client
contains "system unit job"
ok "install.sh --system --user dilxc: system unit enabled, runs as dilxc, back $(($(date +%s) - t0)) s after a reboot with job $sys_job"
in_ct "$src/deploy/uninstall.sh" --system --user dilxc --purge >"$out" 2>&1 || fail "uninstall.sh --system --purge exited $?"
in_ct test ! -e /etc/systemd/system/dilxc.service || fail "uninstall --system left the unit"
ok "uninstall.sh --system --user dilxc --purge: unit removed"

# ---- 7. root's own user unit, as deploy/quickstart.sh installs it (run as root) --------------------------------

root_state() { lxc exec "$ct" -T --env XDG_RUNTIME_DIR=/run/user/0 -- systemctl --user "$1" dilxc.service 2>/dev/null || true; }
root_client() { lxc exec "$ct" -T --cwd /root --env HOME=/root --env XDG_RUNTIME_DIR=/run/user/0 -- /root/.local/bin/dilxc-client "$@"; }
lxc exec "$ct" -T -- su -l root -c "$src/deploy/install.sh --no-build" >"$out" 2>&1 || fail "install.sh as root exited $?"
contains "dilxc.service runs and is enabled"
[ "$(root_state is-enabled)" = enabled ] || fail "root's dilxc.service is '$(root_state is-enabled)', not enabled"
[ "$(in_ct loginctl show-user root -p Linger)" = Linger=yes ] || fail "lingering is not on for root"
root_job=$(root_client submit --sandbox "no-such-sandbox-$$" "root's job" 2>"$out") || fail "submit as root exited $?"
t0=$(date +%s)
lxc restart "$ct" >"$out" 2>&1 || fail "lxc restart $ct failed"
await_jobs 120 "root's daemon does not answer 120 s after the reboot" root_client
contains "root's job"
[ "$(root_state is-active)" = active ] || fail "root's dilxc.service is '$(root_state is-active)' after the reboot"
ok "install.sh as root (the quick start's way): root's user unit, lingering, back $(($(date +%s) - t0)) s after a reboot with job $root_job"
lxc exec "$ct" -T -- su -l root -c "$src/deploy/uninstall.sh --purge" >"$out" 2>&1 || fail "uninstall.sh --purge as root exited $?"
[ "$(root_state is-enabled)" != enabled ] || fail "root's dilxc.service is still enabled after uninstall"
ok "uninstall.sh --purge as root: unit removed"

echo "test-install-systemd: all $passed checks passed in $(($(date +%s) - started)) s"
