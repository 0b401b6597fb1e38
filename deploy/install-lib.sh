# shellcheck shell=bash
# Helpers of install.sh and uninstall.sh (sourced after lib.sh, not run).

readonly DILXC_UNIT=dilxc.service

# Which back end the daemon drives, LXD or Incus, and that it answers the user the daemon runs as.
# $1: that user, $2: a command prefix running as that user, $3: the back end asked for with --backend
# (lxd, incus) or empty, $4: the settings file (a back end it names is kept when none is asked for).
# Sets dilxc_backend (lxd or incus) and dilxc_backend_pin (true when install.sh must write it into the
# settings: it was asked for, or both clients are installed and the daemon's auto would have to guess).
# shellcheck disable=SC2034 # both are install.sh's
dilxc_install_check_backend() {
    local user=$1 run=$2 asked=$3 config=$4 named has_lxc=false has_incus=false lxd_ok=false incus_ok=false
    dilxc_backend_pin=false
    if [ -z "$asked" ] && [ -f "$config" ]; then
        named=$(sed -n 's/^dilxc\.lxd\.backend:[[:space:]]*\([a-z]*\).*/\1/p' "$config" | tail -n 1)
        case $named in lxd|incus) asked=$named; dilxc_log "your settings choose dilxc.lxd.backend: $named" ;; esac
    elif [ -n "$asked" ]; then
        dilxc_backend_pin=true
    fi
    command -v lxc >/dev/null 2>&1 && has_lxc=true
    command -v incus >/dev/null 2>&1 && has_incus=true
    case $asked in
        lxd|incus) dilxc_backend=$asked ;;
        "")
            if $has_lxc && $has_incus; then
                $run lxc query /1.0 >/dev/null 2>&1 && lxd_ok=true
                $run incus query /1.0 >/dev/null 2>&1 && incus_ok=true
                if $lxd_ok && $incus_ok; then
                    dilxc_die "both LXD (lxc) and Incus (incus) answer $user: choose the one dilxc drives with --backend lxd or --backend incus (install.sh writes it to the settings as dilxc.lxd.backend); nothing was installed"
                fi
                # The one that answers; with neither, LXD's check below says why it does not.
                if $incus_ok; then
                    dilxc_backend=incus
                    dilxc_log "lxc and incus are installed, only Incus answers: dilxc will drive it"
                elif $lxd_ok; then
                    dilxc_backend=lxd
                    dilxc_log "lxc and incus are installed, only LXD answers: dilxc will drive it"
                else
                    dilxc_backend=lxd
                fi
                dilxc_backend_pin=true
            elif $has_incus; then
                dilxc_backend=incus
            elif $has_lxc; then
                dilxc_backend=lxd
            else
                dilxc_die "neither LXD's client (lxc) nor Incus's (incus) is installed. Install and start one first (as root: provisioning/host/setup-lxd.sh or provisioning/host/setup-incus.sh, or deploy/quickstart.sh which does everything); nothing was installed"
            fi
            ;;
        *) dilxc_die "--backend $asked: use lxd (LXD, the lxc client) or incus (Incus)" ;;
    esac
    dilxc_install_check_server "$user" "$run" "$dilxc_backend"
}

# Writes dilxc.lxd.backend: $2 into the settings file $1, in place of the line that names it (commented
# or not), else at its end.
dilxc_install_set_backend() {
    if grep -q '^#\{0,1\}dilxc\.lxd\.backend:' "$1"; then
        sed -i "s/^#\{0,1\}dilxc\.lxd\.backend:.*/dilxc.lxd.backend: $2/" "$1"
    else
        printf '\ndilxc.lxd.backend: %s\n' "$2" >>"$1"
    fi
}

# The back end ($3: lxd or incus) must answer the user the daemon runs as; when it does not, say exactly why
# and how to fix it (its group, a session older than the group, a stopped daemon), and stop before anything
# is installed. $1: that user, $2: a command prefix running as that user.
dilxc_install_check_server() {
    local user=$1 run=$2 name client group setup sockets out
    case $3 in
        incus) name=Incus client=incus group=incus-admin setup=setup-incus.sh sockets=/var/lib/incus/unix.socket ;;
        *) name=LXD client=lxc group=lxd setup=setup-lxd.sh sockets="/var/lib/lxd/unix.socket /var/snap/lxd/common/lxd/unix.socket" ;;
    esac
    if ! command -v "$client" >/dev/null 2>&1; then
        dilxc_die "$name's client '$client' is not installed. Install and start $name first (as root: provisioning/host/$setup, or deploy/quickstart.sh which does everything); nothing was installed"
    fi
    if out=$($run "$client" query /1.0 2>&1 >/dev/null); then
        return 0
    fi
    # lxc prints a first-run banner before its error: keep the error, on one line.
    out=$(printf '%s\n' "$out" | grep -m 1 '^Error:' || printf '%s\n' "$out" | tail -n 1)
    out=$(printf '%s' "$out" | tr '\n' ' ')
    if [ "$(id -u "$user")" -ne 0 ] && getent group "$group" >/dev/null; then
        if ! id -nG "$user" | tr ' ' '\n' | grep -qx "$group"; then
            printf 'dilxc: ERROR: %s does not answer %s: %s is not in the %s group (%s said: %s).\n' "$name" "$user" "$user" "$group" "$client" "$out" >&2
            printf 'dilxc: fix:   sudo usermod -aG %s %s\n' "$group" "$user" >&2
            printf 'dilxc:        then log out and in again (or start a new login shell) and run %s again.\n' "$0" >&2
            printf 'dilxc: nothing was installed.\n' >&2
            exit 2
        fi
        if [ "$user" = "$(id -un)" ] && ! id -nG | tr ' ' '\n' | grep -qx "$group"; then
            printf 'dilxc: ERROR: %s is in the %s group, but this session started before that (%s said: %s).\n' "$user" "$group" "$client" "$out" >&2
            printf 'dilxc: fix:   log out and in again (or: newgrp %s) and run %s again. Nothing was installed.\n' "$group" "$0" >&2
            exit 2
        fi
    fi
    dilxc_die "$name does not answer $user: $out. Is $name running (as root: provisioning/host/$setup)? If its socket is not group $group, check 'ls -l $sockets'. Nothing was installed"
}

# One line naming the build's inputs (every source, resource and pom the jars $2 and $3 are made from) and the
# jars themselves, by content.
dilxc_install_build_stamp() {
    local repo=$1 inputs jars
    inputs=$(cd "$repo" && find pom.xml daemon/pom.xml daemon/api daemon/src/main client/pom.xml client/src/main \
        provisioning/provision-container.sh -type f ! -path '*/target/*' -print0 2>/dev/null \
        | LC_ALL=C sort -z | xargs -0 sha256sum | sha256sum)
    jars=$(cat "$2" "$3" | sha256sum)
    printf 'inputs=%s jars=%s\n' "${inputs%% *}" "${jars%% *}"
}

# True when a jar is missing, or the sources or the jars are not those of the last build recorded by
# dilxc_install_record_build (daemon/target/install-build.stamp). By content, not by time: the build pins
# the jars' mtimes (reproducible builds), and the CGLIB proxies Spring AOT generates differ from build to
# build (method order), so rebuilding unchanged sources would change the daemon jar and restart the daemon.
dilxc_install_needs_build() {
    local repo=$1 stamp=$1/daemon/target/install-build.stamp
    { [ -f "$2" ] && [ -f "$3" ]; } || return 0
    [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$(dilxc_install_build_stamp "$repo" "$2" "$3")" ] && return 1
    return 0
}

# Records what the jars $2 and $3 were just built from (see dilxc_install_needs_build).
dilxc_install_record_build() {
    dilxc_install_build_stamp "$1" "$2" "$3" >"$1/daemon/target/install-build.stamp"
}

# Copies $1 to $2 unless identical; a new file replaces the old by rename, so a running daemon keeps the
# jar it opened. Returns 0 when it copied.
dilxc_install_file() {
    local from=$1 to=$2
    if [ -f "$to" ] && cmp -s "$from" "$to"; then
        return 1
    fi
    cp -f "$from" "$to.tmp.$$"
    mv -f "$to.tmp.$$" "$to"
}

# Writes $2 (content) to $1 unless identical; returns 0 when it wrote.
dilxc_install_text() {
    local file=$1 content=$2
    if [ -f "$file" ] && [ "$(cat "$file")" = "$content" ]; then
        return 1
    fi
    mkdir -p "$(dirname "$file")"
    printf '%s\n' "$content" >"$file.tmp.$$"
    mv -f "$file.tmp.$$" "$file"
}

# Whether the daemon answers: the installed client's 'jobs' exits 0.
dilxc_install_client_answers() {
    "$1/bin/dilxc-client" jobs >/dev/null 2>&1
}

# Waits (bounded) until the client answers; $2 is a command that is true while the daemon may still come
# up. Prints nothing; returns 1 when it gave up or the daemon is gone.
dilxc_install_wait_for_client() {
    local app_dir=$1 alive=$2
    for _ in $(seq 1 90); do
        dilxc_install_client_answers "$app_dir" && return 0
        $alive || return 1
        sleep 1
    done
    return 1
}

# The pid in the background daemon's pid file, when that process is still a dilxc daemon; else nothing.
dilxc_install_background_pid() {
    local pidfile=$1/daemon.pid pid
    [ -f "$pidfile" ] || return 0
    pid=$(cat "$pidfile")
    [[ "$pid" =~ ^[0-9]+$ ]] || return 0
    # A recycled pid is not ours: the process must run the daemon jar.
    if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'dilxc-daemon.jar'; then
        printf '%s\n' "$pid"
    fi
}

# Stops the background daemon started by an earlier install (SIGTERM: running jobs get their grace, then
# are settled; SIGKILL only after 2 minutes). Says what it did.
dilxc_install_stop_background() {
    local state_dir=$1 pid
    pid=$(dilxc_install_background_pid "$state_dir")
    if [ -z "$pid" ]; then
        rm -f "$state_dir/daemon.pid"
        return 0
    fi
    dilxc_log "stopping the background daemon (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 120); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 1
    done
    if kill -0 "$pid" 2>/dev/null; then
        dilxc_log "the daemon did not stop within 2 minutes of SIGTERM; killing it (its jobs end INTERRUPTED at the next start)"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$state_dir/daemon.pid"
}

# No systemd: start the daemon in its own session, log to daemon.log, and say that nothing restarts it.
dilxc_install_background() {
    local app_dir=$1 java_home=$2 state_dir=$3 changed=$4 pid log=$3/daemon.log
    pid=$(dilxc_install_background_pid "$state_dir")
    if [ -n "$pid" ] && $changed; then
        dilxc_log "a new version was installed: restarting the daemon"
        dilxc_install_stop_background "$state_dir"
        pid=""
    fi
    if [ -n "$pid" ]; then
        dilxc_install_wait_for_client "$app_dir" "kill -0 $pid" \
            || dilxc_die "the daemon (pid $pid) runs but does not answer; see $log"
        dilxc_log "the daemon is already running (pid $pid), started in the background by an earlier install"
    elif dilxc_install_client_answers "$app_dir"; then
        # Started by hand or by quickstart.sh: not ours to stop.
        dilxc_log "a daemon not started by install.sh (by hand, or quickstart.sh) answers already; leaving it running"
        $changed && dilxc_log "to run the version just installed: stop that daemon, then run install.sh again"
        dilxc_install_no_systemd_note "$log"
        return 0
    else
        printf '\n==== %s: started by install.sh ====\n' "$(date -Is)" >>"$log"
        chmod 600 "$log"
        # setsid: its own session, so closing this terminal does not hang it up. Not a fork of its own:
        # $! is the daemon's pid (the launcher execs java).
        # From $HOME, so the daemon does not hold the checkout (or wherever install.sh ran) as its directory.
        (cd "$HOME" && JAVA_HOME=$java_home exec setsid "$app_dir/bin/dilxc-daemon" >>"$log" 2>&1 </dev/null) &
        pid=$!
        printf '%s\n' "$pid" >"$state_dir/daemon.pid"
        if ! dilxc_install_wait_for_client "$app_dir" "kill -0 $pid"; then
            printf 'dilxc: the last lines of %s:\n' "$log" >&2
            tail -n 30 "$log" >&2
            kill -0 "$pid" 2>/dev/null && dilxc_die "the daemon (pid $pid) did not answer within 90 s; see $log"
            rm -f "$state_dir/daemon.pid"
            dilxc_die "the daemon stopped at start (above: what went wrong and what to do); fix it and run install.sh again"
        fi
        dilxc_log "started the daemon in the background (pid $pid); it answers. Log: $log"
    fi
    dilxc_install_no_systemd_note "$log"
}

dilxc_install_no_systemd_note() {
    dilxc_log "NOTE: systemd is not running here (no /run/systemd/system) or --no-systemd was given, so there is no"
    dilxc_log "      service: nothing restarts the daemon if it crashes or after a reboot. Start it again with"
    dilxc_log "      deploy/install.sh (or dilxc-daemon >>$1 2>&1 &). Stop it with deploy/uninstall.sh."
}

# How both units stop, restart and log. SIGTERM to the daemon only (KillMode=mixed): it stops its running
# jobs' agents itself (shutdown grace, then restore); 143 is its exit on SIGTERM. 78 is its exit when starting
# again cannot help (a damaged database: the journal names the backup and the command that restores it), so
# systemd does not restart on it.
DILXC_UNIT_SERVICE_TAIL="KillMode=mixed
TimeoutStopSec=120
SuccessExitStatus=143
Restart=on-failure
RestartSec=5s
RestartPreventExitStatus=78
StandardOutput=journal
StandardError=journal"

# In both units' [Unit]: a daemon that keeps failing to start is given up after 10 tries in 10 minutes
# (systemctl status then says so) instead of restarting every 5 s for ever.
DILXC_UNIT_START_LIMIT="StartLimitIntervalSec=10min
StartLimitBurst=10"

# The user unit, enabled and started (restarted when something changed), lingering on.
dilxc_install_user_unit() {
    local app_dir=$1 java_home=$2 changed=$3 unit_file unit
    unit_file=${XDG_CONFIG_HOME:-$HOME/.config}/systemd/user/$DILXC_UNIT
    unit="[Unit]
Description=dilxc daemon: queued and scheduled Claude Code runs in LXD sandboxes
$DILXC_UNIT_START_LIMIT

[Service]
Type=exec
# The socket dilxc-client looks for first when XDG_RUNTIME_DIR is set (%t), as in a login session.
Environment=DILXC_SOCKET=%t/dilxc/daemon.sock
Environment=JAVA_HOME=$java_home
ExecStart=$app_dir/bin/dilxc-daemon
$DILXC_UNIT_SERVICE_TAIL

[Install]
WantedBy=default.target"
    dilxc_install_stop_background "${XDG_STATE_HOME:-$HOME/.local/state}/dilxc"
    dilxc_install_text "$unit_file" "$unit" && changed=true
    systemctl --user daemon-reload
    systemctl --user enable "$DILXC_UNIT" >/dev/null 2>&1 || dilxc_die "systemctl --user enable $DILXC_UNIT failed"
    if $changed; then
        systemctl --user restart "$DILXC_UNIT"
    else
        systemctl --user start "$DILXC_UNIT"
    fi
    dilxc_install_linger "$(id -un)"
    if ! dilxc_install_wait_for_client "$app_dir" "systemctl --user is-active --quiet $DILXC_UNIT"; then
        journalctl --user -u "$DILXC_UNIT" -n 30 --no-pager >&2 || true
        dilxc_die "the daemon does not answer (above: its journal); fix it and run install.sh again"
    fi
    dilxc_log "dilxc.service runs and is enabled (systemctl --user status dilxc; logs: journalctl --user -u dilxc)"
}

# Lingering on for $1, so that the user manager (and dilxc.service) starts at boot and stays after logout.
# Without polkit (a minimal Debian server) logind lets only root enable it, even for oneself ("Access
# denied"); a passwordless sudo (the default user of cloud images) does it then without a prompt.
dilxc_install_linger() {
    local user=$1
    [ "$(loginctl show-user "$user" -p Linger --value 2>/dev/null)" = yes ] && return 0
    loginctl enable-linger "$user" 2>/dev/null && return 0
    if command -v sudo >/dev/null 2>&1 && sudo -n loginctl enable-linger "$user" 2>/dev/null; then
        dilxc_log "enabled lingering for $user with sudo (logind refused it to $user: no polkit here)"
        return 0
    fi
    dilxc_log "WARNING: could not enable lingering for $user (logind needs polkit or root for that): the daemon"
    dilxc_log "         stops when you log out and does not start at boot. Fix: sudo loginctl enable-linger $user"
}

# The system unit for a dedicated user; the launchers in /usr/local/bin point the client at its socket.
dilxc_install_system_unit() {
    local user=$1 home=$2 app_dir=$3 java_home=$4 changed=$5 socket unit name
    socket=$home/.local/state/dilxc/daemon.sock
    unit="[Unit]
Description=dilxc daemon: queued and scheduled Claude Code runs in LXD sandboxes (as $user)
After=network-online.target lxd.service snap.lxd.daemon.service
Wants=network-online.target
$DILXC_UNIT_START_LIMIT

[Service]
Type=exec
User=$user
Group=$(id -gn "$user")
SupplementaryGroups=lxd
Environment=HOME=$home
Environment=DILXC_SOCKET=$socket
Environment=JAVA_HOME=$java_home
WorkingDirectory=$home
ExecStart=$app_dir/bin/dilxc-daemon
$DILXC_UNIT_SERVICE_TAIL

[Install]
WantedBy=multi-user.target"
    getent group lxd >/dev/null || unit=${unit/SupplementaryGroups=lxd$'\n'/}
    dilxc_install_text "/etc/systemd/system/$DILXC_UNIT" "$unit" && changed=true
    for name in dilxc-daemon dilxc-client; do
        rm -f "/usr/local/bin/$name"
        dilxc_install_text "/usr/local/bin/$name" "#!/bin/sh
# Installed by dilxc's install.sh --system: the daemon of user $user listens on $socket.
: \"\${DILXC_SOCKET:=$socket}\"
export DILXC_SOCKET
exec $app_dir/bin/$name \"\$@\"" || true
        chmod 755 "/usr/local/bin/$name"
    done
    systemctl daemon-reload
    systemctl enable "$DILXC_UNIT" >/dev/null 2>&1 || dilxc_die "systemctl enable $DILXC_UNIT failed"
    if $changed; then systemctl restart "$DILXC_UNIT"; else systemctl start "$DILXC_UNIT"; fi
    if ! DILXC_SOCKET=$socket dilxc_install_wait_for_client_as "$user" "$home" "$app_dir"; then
        journalctl -u "$DILXC_UNIT" -n 30 --no-pager >&2 || true
        dilxc_die "the daemon does not answer (above: its journal); fix it and run install.sh again"
    fi
    dilxc_log "dilxc.service runs as $user and is enabled (systemctl status dilxc; journalctl -u dilxc)."
    dilxc_log "its socket is $socket: use dilxc-client as $user (sudo -u $user dilxc-client status)"
}

dilxc_install_wait_for_client_as() {
    local user=$1 home=$2 app_dir=$3
    for _ in $(seq 1 90); do
        setpriv --reuid="$user" --regid="$(id -g "$user")" --init-groups env HOME="$home" DILXC_SOCKET="$DILXC_SOCKET" \
            "$app_dir/bin/dilxc-client" jobs >/dev/null 2>&1 && return 0
        systemctl is-active --quiet "$DILXC_UNIT" || [ "$(systemctl show -p ActiveState --value "$DILXC_UNIT")" = activating ] || return 1
        sleep 1
    done
    return 1
}
