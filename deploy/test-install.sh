#!/usr/bin/env bash
# install.sh and uninstall.sh for real, on this machine, in a throwaway HOME (as root; LXD running, as
# provisioning/test-host.sh leaves it). The background path (no systemd): the test machines run no
# systemd as PID 1, and on one that does --no-systemd keeps the test away from the real user manager.
#
# Pins: launchers and app copy, the commented settings file, the daemon answering dilxc-client jobs, a
# second install converging (same daemon, the user's settings kept), a changed jar restarting the daemon,
# a bad setting failing the start with key, file and line, uninstall keeping data and settings (a job
# recorded before is there after reinstalling), --purge deleting them, both idempotent, a user
# outside the lxd group told the exact fix with nothing installed, and the back end: with LXD and Incus
# both answering (test-host.sh runs both) install.sh stops and asks for --backend, writes the one given
# into the settings, and later installs take it from there.
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

[ "$(id -u)" -eq 0 ] || { echo "test-install: run as root (the test runs install.sh as nobody too)" >&2; exit 1; }
lxc query /1.0 >/dev/null 2>&1 || { echo "test-install: FAIL: LXD does not answer; run provisioning/test-host.sh" >&2; exit 1; }

tmp=$(mktemp -d -p /var/tmp dilxc-install-test.XXXXXX)
chmod 755 "$tmp"
home=$tmp/home
mkdir -p "$home"
# Java takes ~ from the password database, not $HOME: pin every XDG directory so that the daemon and
# the client under test never touch the real user's socket, database or settings.
export HOME=$home XDG_CONFIG_HOME=$home/.config XDG_DATA_HOME=$home/.local/share \
    XDG_STATE_HOME=$home/.local/state XDG_CACHE_HOME=$home/.cache XDG_RUNTIME_DIR=$home/run PATH=$home/.local/bin:$PATH
unset DILXC_SOCKET DILXC_DATA_DIR DILXC_CONFIG DILXC_HOME DILXC_CLIENT_JAR DILXC_DAEMON_JAR DILXC_CLIENT_CACHE_DIR \
    DILXC_CLIENT_AOT DILXC_CLIENT_TRAIN DILXC_CLIENT_CACHE_CHECK DILXC_CLIENT_JAVA_OPTS DILXC_DAEMON_CACHE_DIR \
    DILXC_DAEMON_AOT DILXC_DAEMON_TRAIN DILXC_DAEMON_CACHE_CHECK DILXC_DAEMON_JAVA_OPTS
mkdir -m 700 "$XDG_RUNTIME_DIR"
app=$XDG_DATA_HOME/dilxc/app
config=$XDG_CONFIG_HOME/dilxc/application.yml
state=$XDG_STATE_HOME/dilxc
out=$tmp/out

cleanup() {
    local pid
    pid=$(cat "$state/daemon.pid" 2>/dev/null || true)
    "$repo/deploy/uninstall.sh" --purge >/dev/null 2>&1 || true
    if [ -n "$pid" ]; then kill -KILL "$pid" 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT

passed=0
fail() { echo "test-install: FAIL: $*" >&2; [ -f "$out" ] && sed 's/^/    | /' "$out" >&2; exit 1; }
ok() { passed=$((passed + 1)); echo "test-install: ok: $*"; }
contains() { grep -qF -- "$1" "$out" || fail "output lacks '$1'"; }
daemon_pid() { cat "$state/daemon.pid" 2>/dev/null || true; }
alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }
install() { "$repo/deploy/install.sh" --no-systemd "$@" >"$out" 2>&1; }

# 1. A user outside the lxd group: the exact fix, a non-zero exit, nothing installed.
nobody_home=$tmp/nobody
mkdir -p "$nobody_home" && chown nobody "$nobody_home"
set +e
(cd / && setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups env -i PATH=/usr/bin:/bin HOME="$nobody_home" \
    "$repo/deploy/install.sh" --no-systemd) >"$out" 2>&1
rc=$?
set -e
[ "$rc" -eq 2 ] || fail "install as nobody exited $rc, not 2"
contains "nobody is not in the lxd group"
contains "sudo usermod -aG lxd nobody"
contains "log out and in again"
contains "nothing was installed"
{ [ ! -e "$nobody_home/.local" ] && [ ! -e "$nobody_home/.config/dilxc" ]; } || fail "install as nobody left files: $(find "$nobody_home")"
ok "outside the lxd group: exit 2, the usermod fix, nothing installed"

# 1b. LXD and Incus both answer: install.sh asks which, exits non-zero, installs nothing.
incus query /1.0 >/dev/null 2>&1 || fail "Incus does not answer; run provisioning/test-host.sh"
set +e
install
rc=$?
set -e
[ "$rc" -ne 0 ] || fail "install with both LXD and Incus answering and no --backend exited 0"
contains "both LXD (lxc) and Incus (incus) answer root: choose the one dilxc drives with --backend lxd or --backend incus"
contains "nothing was installed"
{ [ ! -e "$app" ] && [ ! -e "$config" ]; } || fail "install without --backend left files"
ok "both back ends answering: install asks for --backend, nothing installed"

# 2. Install: launchers, app copy, settings (with the back end asked for), the daemon answering.
install --backend lxd || fail "install exited $?"
contains "dilxc drives lxd: dilxc.lxd.backend: lxd in $config"
grep -qx 'dilxc.lxd.backend: lxd' "$config" || fail "$config does not say dilxc.lxd.backend: lxd"
cp "$out" "$tmp/install2.out"
contains "started the daemon in the background"
contains "nothing restarts the daemon if it crashes or after a reboot"
for name in dilxc-daemon dilxc-client; do
    [ "$(readlink "$home/.local/bin/$name")" = "$app/bin/$name" ] || fail "$name is not a link to $app/bin/$name"
done
cmp -s "$repo/daemon/target/dilxc-daemon.jar" "$app/lib/dilxc-daemon.jar" || fail "the daemon jar was not copied"
cmp -s "$repo/client/target/dilxc-client.jar" "$app/lib/dilxc-client.jar" || fail "the client jar was not copied"
ok "launchers in ~/.local/bin link to copies in $app"

[ "$(stat -c %a "$config")" = 600 ] || fail "$config is not mode 600"
grep -qx '#dilxc.jobs.default-timeout: 2h' "$config" || fail "$config lacks the commented default-timeout"
grep -qx '#dilxc.jobs.default-restore-policy: on-failure' "$config" || fail "$config lacks the restore policy"
grep -qF '# How long a job may run when the submit names none, in time the machine is awake' "$config" || fail "$config lacks the meaning"
# Nothing set but the back end install.sh was asked for.
set_lines=$(grep -v '^#' "$config" | grep -v '^$' || true)
[ "$set_lines" = "dilxc.lxd.backend: lxd" ] || fail "$config sets more than the back end: $set_lines"
ok "commented default settings, every key with default and meaning, mode 600"

pid=$(daemon_pid)
alive "$pid" || fail "no daemon process"
# The daemon runs the installed jar, extracted into its start-up cache slot, from the AOT cache trained for it.
grep -qF "training the daemon's start-up cache" "$tmp/install2.out" || fail "install did not train the daemon's start-up cache"
daemon_slot=$(grep -lF "jar=$app/lib/dilxc-daemon.jar stat=" "$XDG_CACHE_HOME"/dilxc/daemon/*/key 2>/dev/null | head -n 1 || true)
daemon_slot=${daemon_slot%/key}
[ -n "$daemon_slot" ] || fail "no daemon start-up cache slot for $app/lib/dilxc-daemon.jar in $XDG_CACHE_HOME/dilxc/daemon"
tr '\0' ' ' <"/proc/$pid/cmdline" >"$tmp/cmdline"
{ grep -qF -- "-XX:AOTCache=$daemon_slot/daemon.aot" "$tmp/cmdline" && grep -qF -- "-jar $daemon_slot/app/dilxc-daemon.jar" "$tmp/cmdline" \
    && grep -qF -- "-Dspring.aot.enabled=true" "$tmp/cmdline"; } || fail "the daemon does not run from its trained cache: $(cat "$tmp/cmdline")"
[ -S "$XDG_RUNTIME_DIR/dilxc/daemon.sock" ] || fail "no socket at $XDG_RUNTIME_DIR/dilxc/daemon.sock"
dilxc-client jobs >"$out" 2>&1 || fail "dilxc-client jobs exited $?"
# A real job: a sandbox that does not exist fails at once, and stays in the history.
job=$(dilxc-client submit --sandbox "no-such-sandbox-$$" "remember me" 2>"$out") || fail "submit exited $?"
[[ "$job" =~ ^[0-9]+$ ]] || fail "submit printed '$job', not a job id"
[ -f "$XDG_DATA_HOME/dilxc/dilxc.mv.db" ] || fail "no database in $XDG_DATA_HOME/dilxc"
ok "the daemon (pid $pid) runs the installed jar and answers; job $job recorded"

# The client's start-up cache was trained for the installed jar, and the launcher uses it.
grep -qF "training the client's start-up cache" "$tmp/install2.out" || fail "install did not train the start-up cache"
# Found by its key, not by its name: uninstall.sh must name it as the launcher did (checked in 6.).
slot=$(grep -lF "jar=$app/lib/dilxc-client.jar stat=" "$XDG_CACHE_HOME"/dilxc/client/*/key 2>/dev/null | head -n 1 || true)
slot=${slot%/key}
{ [ -n "$slot" ] && [ -s "$slot/key" ]; } || fail "no start-up cache slot for $app/lib/dilxc-client.jar in $XDG_CACHE_HOME/dilxc/client"
[[ ${slot##*/} =~ ^[0-9a-f]{16}-[A-Za-z0-9._-]+$ ]] || fail "the slot $slot is not named by a hash of the jar's path"
DILXC_CLIENT_CACHE_CHECK=1 dilxc-client || fail "the trained cache is not current for the installed jar"
DILXC_CLIENT_JAVA_OPTS="-Xlog:class+load=info:file=$tmp/classes.log" dilxc-client jobs >"$out" 2>&1 || fail "jobs with the cache exited $?"
contains "remember me"
grep -qF "dev.dilxc.client.ClientApplication source: shared objects file" "$tmp/classes.log" \
    || fail "the client's classes did not come from the trained cache"
ok "install trained the client's start-up cache and the launcher uses it"

# 3. A second install converges: nothing copied, the same daemon, the user's settings kept.
sed -i 's/^#dilxc.jobs.max-concurrent-jobs: 2$/dilxc.jobs.max-concurrent-jobs: 3/' "$config"
grep -qx 'dilxc.jobs.max-concurrent-jobs: 3' "$config" || fail "could not edit $config"
install || fail "second install exited $?"
contains "your settings choose dilxc.lxd.backend: lxd"
contains "is up to date"
contains "keeping your settings in $config"
contains "already running (pid $pid)"
contains "the daemon's start-up cache is current"
contains "the client's start-up cache is current"
{ [ "$(daemon_pid)" = "$pid" ] && alive "$pid"; } || fail "the second install replaced the daemon"
grep -qx 'dilxc.jobs.max-concurrent-jobs: 3' "$config" || fail "the second install changed the user's settings"
ok "second install: up to date, same daemon, settings kept"

# 4. A different jar (as after git pull and a rebuild) is copied and the daemon restarted on it.
printf 'x' >>"$app/lib/dilxc-client.jar"
install || fail "install after a change exited $?"
contains "installed the jars and launchers"
contains "restarting the daemon"
contains "training the client's start-up cache"
new_pid=$(daemon_pid)
{ [ "$new_pid" != "$pid" ] && alive "$new_pid" && ! alive "$pid"; } || fail "the daemon was not restarted ($pid -> $new_pid)"
cmp -s "$repo/client/target/dilxc-client.jar" "$app/lib/dilxc-client.jar" || fail "the client jar was not replaced"
dilxc-client jobs >"$out" 2>&1 || fail "dilxc-client jobs after the restart exited $?"
contains "remember me"
ok "a changed jar: copied, daemon restarted (pid $new_pid), history there"

# 5. A bad setting: the start fails naming the key, the file and the line; install exits non-zero.
"$repo/deploy/uninstall.sh" >"$out" 2>&1 || fail "uninstall exited $?"
printf 'dilxc.jobs.default-timeout: -5m\n' >>"$config"
line=$(grep -n '^dilxc.jobs.default-timeout: -5m$' "$config" | cut -d: -f1)
set +e; install; rc=$?; set -e
[ "$rc" -ne 0 ] || fail "install with a bad setting succeeded"
contains "Invalid setting dilxc.jobs.default-timeout = '-5m' (file $config, line $line)"
contains "must be a positive duration"
contains "Default: 2h."
alive "$(daemon_pid)" && fail "a daemon runs despite the bad setting"
ok "a negative timeout in application.yml: start refused naming key, file, line $line and default"
# The file DILXC_CONFIG names outranks application.yml.
printf 'dilxc.jobs.default-timeout=3h\n' >"$tmp/override.properties"
DILXC_CONFIG=$tmp/override.properties install || fail "install with DILXC_CONFIG overriding the bad value exited $?"
"$repo/deploy/uninstall.sh" >"$out" 2>&1 || fail "uninstall exited $?"
sed -i '/^dilxc.jobs.default-timeout: -5m$/d' "$config"
ok "DILXC_CONFIG outranks application.yml"

# 6. Uninstall keeps data and settings; twice is fine; a reinstall finds the history.
install || fail "install after fixing the setting exited $?"
pid=$(daemon_pid)
"$repo/deploy/uninstall.sh" >"$out" 2>&1 || fail "uninstall exited $?"
contains "kept your data, settings and log"
alive "$pid" && fail "the daemon still runs after uninstall"
{ [ ! -e "$home/.local/bin/dilxc-client" ] && [ ! -e "$home/.local/bin/dilxc-daemon" ]; } || fail "launchers left"
[ ! -e "$app" ] || fail "$app left"
[ ! -e "$slot" ] || fail "the client's start-up cache $slot left"
[ ! -e "$daemon_slot" ] || fail "the daemon's start-up cache $daemon_slot left"
[ -f "$XDG_DATA_HOME/dilxc/dilxc.mv.db" ] || fail "uninstall deleted the database"
grep -qx 'dilxc.jobs.max-concurrent-jobs: 3' "$config" || fail "uninstall lost the settings"
"$repo/deploy/uninstall.sh" >"$out" 2>&1 || fail "a second uninstall exited $?"
install || fail "reinstall exited $?"
dilxc-client jobs >"$out" 2>&1 || fail "dilxc-client jobs after reinstall exited $?"
contains "remember me"
ok "uninstall: daemon stopped, launchers and app gone, data and settings kept (job $job back after reinstall); twice ok"

# 7. --purge deletes data, settings and state; twice is fine.
pid=$(daemon_pid)
"$repo/deploy/uninstall.sh" --purge >"$out" 2>&1 || fail "uninstall --purge exited $?"
alive "$pid" && fail "the daemon still runs after --purge"
for dir in "$XDG_DATA_HOME/dilxc" "$XDG_CONFIG_HOME/dilxc" "$state"; do
    [ ! -e "$dir" ] || fail "--purge left $dir"
done
"$repo/deploy/uninstall.sh" --purge >"$out" 2>&1 || fail "a second uninstall --purge exited $?"
ok "--purge: data, settings and log deleted; twice ok"

echo "test-install: all $passed checks passed"
