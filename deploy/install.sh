#!/usr/bin/env bash
# Installs dilxc for the current user and runs the daemon as a service.
#
#   deploy/install.sh              # as yourself (a member of the lxd or incus-admin group), or as root
#   deploy/install.sh --system --user NAME   # as root: a system-wide unit running the daemon as NAME
#
# What it does, each step converging when run again:
#   1. checks first, changing nothing: LXD or Incus answers this user (lxc/incus query /1.0; else the
#      exact fix, e.g. sudo usermod -aG lxd $USER) and a JDK 21+ is there. Which one: --backend lxd|incus,
#      else the one your settings name, else the one installed; with both installed, the one that answers
#      (both answering: it stops and asks for --backend). A back end asked for, or found beside the other,
#      is written to the settings as dilxc.lxd.backend;
#   2. builds the jars (mvn package) when they are missing or not those its last build made from these sources;
#   3. copies them and the launchers to the app directory, $XDG_DATA_HOME/dilxc/app (else
#      ~/.local/share/dilxc/app), so a later git pull and rebuild in this checkout does not touch the
#      running daemon until install.sh runs again; links dilxc-daemon and dilxc-client into ~/.local/bin;
#   4. writes the commented default settings, $XDG_CONFIG_HOME/dilxc/application.yml (else
#      ~/.config/dilxc/application.yml), only when there is none;
#   5. installs and (re)starts the systemd user unit dilxc.service (Restart=on-failure, logs in the journal)
#      and enables lingering so it runs while you are logged out; with --system, /etc/systemd/system/
#      dilxc.service instead. Where systemd is not PID 1 (containers, some CI machines) or with
#      --no-systemd, it starts the daemon in the background instead (log: ~/.local/state/dilxc/daemon.log)
#      and says that nothing restarts it after a reboot;
#   6. waits until dilxc-client answers;
#   7. trains the client's start-up cache (train.sh --client, 10-30 s, only when the jar or the Java
#      changed) so that a one-shot dilxc-client command answers in about a quarter of a second.
# Before 5. it trains the daemon's start-up cache the same way (train.sh --daemon, as the service's user,
# 20-30 s, only when needed), so that the daemon answers about 3 s after it starts instead of 7-9 s.
#
# Options: --system, --user NAME (with --system), --backend lxd|incus, --no-systemd, --no-build (use the
# jars as they are), --help. Environment: JAVA_HOME (else the newest JDK 21+ under /usr/lib/jvm), DILXC_MVN_ARGS (extra
# Maven arguments, e.g. -o).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=deploy/lib.sh
. "$repo/deploy/lib.sh"
# shellcheck source=deploy/install-lib.sh
. "$repo/deploy/install-lib.sh"

system=false
service_user=""
use_systemd=auto
build=true
backend=""
while [ $# -gt 0 ]; do
    case "$1" in
        --system) system=true ;;
        --user) [ $# -ge 2 ] || dilxc_die "--user needs a user name"; service_user=$2; shift ;;
        --user=*) service_user=${1#--user=} ;;
        --backend) [ $# -ge 2 ] || dilxc_die "--backend needs lxd or incus"; backend=$2; shift ;;
        --backend=*) backend=${1#--backend=} ;;
        --no-systemd) use_systemd=no ;;
        --no-build) build=false ;;
        -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) dilxc_die "unknown option '$1' (known: --system, --user NAME, --backend lxd|incus, --no-systemd, --no-build, --help)" ;;
    esac
    shift
done

# ---- 1. checks, before anything is changed -------------------------------------------------------------

if $system; then
    [ "$(id -u)" -eq 0 ] || dilxc_die "--system installs /etc/systemd/system/dilxc.service: run it as root (sudo $0 --system --user NAME)"
    [ -n "$service_user" ] || dilxc_die "--system needs --user NAME: the (dedicated) user the daemon runs as, a member of the lxd group"
    [ "$service_user" != root ] || dilxc_log "the daemon will run as root"
    getent passwd "$service_user" >/dev/null || dilxc_die "no user '$service_user'; create one, e.g.: useradd --system --create-home --groups lxd $service_user"
    [ -d /run/systemd/system ] || dilxc_die "--system needs systemd running as PID 1 (no /run/systemd/system here); install for a user without --system"
    target_home=$(getent passwd "$service_user" | cut -d: -f6)
    run_as() { setpriv --reuid="$service_user" --regid="$(id -g "$service_user")" --init-groups env HOME="$target_home" "$@"; }
else
    [ -z "$service_user" ] || dilxc_die "--user only goes with --system (a user install is for whoever runs install.sh)"
    service_user=$(id -un)
    target_home=$HOME
    run_as() { "$@"; }
fi


# Where everything goes. The system install uses the service user's home and the XDG defaults.
if $system; then
    data_home=$target_home/.local/share
    config_home=$target_home/.config
    state_home=$target_home/.local/state
    bin_dir=/usr/local/bin
else
    data_home=${XDG_DATA_HOME:-$HOME/.local/share}
    config_home=${XDG_CONFIG_HOME:-$HOME/.config}
    state_home=${XDG_STATE_HOME:-$HOME/.local/state}
    bin_dir=$HOME/.local/bin
fi
app_dir=$data_home/dilxc/app
config_file=$config_home/dilxc/application.yml
state_dir=$state_home/dilxc

dilxc_install_check_backend "$service_user" run_as "$backend" "$config_file"

# The JDK: lib.sh's finder installs one from the distribution only when run as root.
dilxc_find_jdk
java_home=$JAVA_HOME

if [ "$use_systemd" = auto ]; then
    if [ -d /run/systemd/system ]; then use_systemd=yes; else use_systemd=no; fi
fi
if $system && [ "$use_systemd" = no ]; then
    dilxc_die "--system and --no-systemd do not go together"
fi
if [ "$use_systemd" = yes ] && ! $system && [ "$(id -u)" -ne 0 ] && [ -z "${XDG_RUNTIME_DIR:-}" ]; then
    dilxc_die "systemd runs here but XDG_RUNTIME_DIR is not set, so systemctl --user cannot reach your user manager; log in with a real session (ssh, not su/sudo), or use --no-systemd"
fi

# ---- 2. build ---------------------------------------------------------------------------------------------

daemon_jar=$repo/daemon/target/dilxc-daemon.jar
client_jar=$repo/client/target/dilxc-client.jar
if $build && dilxc_install_needs_build "$repo" "$daemon_jar" "$client_jar"; then
    dilxc_find_maven
    dilxc_log "building the jars (mvn package, tests skipped: deploy/test.sh runs them)"
    # shellcheck disable=SC2086 # DILXC_MVN_ARGS: extra Maven arguments, split on blanks by design
    (cd "$repo" && mvn -B -ntp -q ${DILXC_MVN_ARGS:-} -pl daemon/api,daemon,client -am package -DskipTests) \
        || dilxc_die "the build failed (see above); nothing was installed"
    dilxc_install_record_build "$repo" "$daemon_jar" "$client_jar"
fi
{ [ -f "$daemon_jar" ] && [ -f "$client_jar" ]; } || dilxc_die "no jars in $repo/{daemon,client}/target; run without --no-build"

# ---- 3. the app directory and the launchers ---------------------------------------------------------------

as_owner() { if $system; then chown -R "$service_user:$(id -gn "$service_user")" "$@"; fi; }

mkdir -p "$app_dir/bin" "$app_dir/lib" "$state_dir" "$bin_dir"
chmod 700 "$state_dir"
changed=false
for pair in "$daemon_jar:lib/dilxc-daemon.jar" "$client_jar:lib/dilxc-client.jar" \
        "$repo/deploy/bin/dilxc-daemon:bin/dilxc-daemon" "$repo/deploy/bin/dilxc-client:bin/dilxc-client" \
        "$repo/deploy/bin/launch.sh:bin/launch.sh" "$repo/deploy/train.sh:train.sh"; do
    if dilxc_install_file "${pair%%:*}" "$app_dir/${pair#*:}"; then changed=true; fi
done
chmod 755 "$app_dir/bin/dilxc-daemon" "$app_dir/bin/dilxc-client" "$app_dir/train.sh"
rm -f "$app_dir/train-client.sh" # train.sh's name before it trained the daemon too
(cd "$repo" && git describe --always --dirty 2>/dev/null || echo unknown) >"$app_dir/VERSION.tmp"
printf 'installed from %s\n' "$repo" >>"$app_dir/VERSION.tmp"
mv -f "$app_dir/VERSION.tmp" "$app_dir/VERSION"
as_owner "$data_home/dilxc" "$state_dir"

for name in dilxc-daemon dilxc-client; do
    if [ -e "$bin_dir/$name" ] && [ ! -L "$bin_dir/$name" ]; then
        dilxc_die "$bin_dir/$name exists and is not a link this script made; move it away and run again"
    fi
    ln -sfn "$app_dir/bin/$name" "$bin_dir/$name"
done
if $changed; then dilxc_log "installed the jars and launchers in $app_dir"; else dilxc_log "$app_dir is up to date"; fi

# ---- 4. the settings file -----------------------------------------------------------------------------------

if [ -e "$config_file" ]; then
    dilxc_log "keeping your settings in $config_file"
else
    mkdir -p "$(dirname "$config_file")"
    chmod 700 "$(dirname "$config_file")"
    "$java_home/bin/java" -jar "$app_dir/lib/dilxc-daemon.jar" --print-default-config >"$config_file.tmp" \
        || dilxc_die "could not write the default settings"
    chmod 600 "$config_file.tmp"
    mv -f "$config_file.tmp" "$config_file"
    as_owner "$(dirname "$config_file")"
    dilxc_log "wrote the commented default settings to $config_file"
fi
if $dilxc_backend_pin; then
    dilxc_install_set_backend "$config_file" "$dilxc_backend"
    dilxc_log "dilxc drives $dilxc_backend: dilxc.lxd.backend: $dilxc_backend in $config_file"
fi

# ---- the daemon's start-up cache, before the service (re)starts on it ------------------------------------------

# In the home of the user the daemon runs as, trained with the Java the unit names.
if run_as env JAVA_HOME="$java_home" DILXC_DAEMON_CACHE_CHECK=1 "$app_dir/bin/dilxc-daemon"; then
    dilxc_log "the daemon's start-up cache is current"
else
    dilxc_log "training the daemon's start-up cache for $service_user (20-30 s)"
    if ! run_as env JAVA_HOME="$java_home" "$app_dir/train.sh" --daemon >"$state_dir/train-daemon.log" 2>&1; then
        sed 's/^/    /' "$state_dir/train-daemon.log" >&2
        dilxc_log "warning: the daemon's start-up cache could not be made (see above); the daemon works without it, only slower to start (7-9 s)"
    fi
    as_owner "$state_dir/train-daemon.log"
fi

# ---- 5./6. the service ----------------------------------------------------------------------------------------

if [ "$use_systemd" = yes ]; then
    if $system; then
        dilxc_install_system_unit "$service_user" "$target_home" "$app_dir" "$java_home" "$changed"
    else
        dilxc_install_user_unit "$app_dir" "$java_home" "$changed"
    fi
else
    dilxc_install_background "$app_dir" "$java_home" "$state_dir" "$changed"
fi

# ---- 7. the client's start-up cache ---------------------------------------------------------------------------

# The cache lives in the home of whoever runs the client: you, or with --system the user behind sudo.
train_user=$(id -un)
train() { JAVA_HOME=$java_home "$@"; }
if $system; then
    train_user=${SUDO_USER:-}
    if [ -n "$train_user" ] && [ "$train_user" != root ]; then
        train_home=$(getent passwd "$train_user" | cut -d: -f6)
        train() { setpriv --reuid="$train_user" --regid="$(id -g "$train_user")" --init-groups \
            env HOME="$train_home" JAVA_HOME="$java_home" "$@"; }
    fi
fi
if [ -z "$train_user" ]; then
    dilxc_log "note: each user of dilxc-client can make its start-up cache with $app_dir/train.sh --client"
elif train env DILXC_CLIENT_CACHE_CHECK=1 "$app_dir/bin/dilxc-client"; then
    dilxc_log "the client's start-up cache is current"
else
    dilxc_log "training the client's start-up cache for $train_user (10-30 s)"
    if ! train "$app_dir/train.sh" --client >"$state_dir/train-client.log" 2>&1; then
        sed 's/^/    /' "$state_dir/train-client.log" >&2
        dilxc_log "warning: the start-up cache could not be made (see above); dilxc-client works without it, only slower (about 1 s a command)"
    fi
fi

case ":$PATH:" in
    *":$bin_dir:"*) ;;
    *) dilxc_log "note: $bin_dir is not on your PATH; add it, e.g. echo 'export PATH=\"$bin_dir:\$PATH\"' >> ~/.bashrc" ;;
esac
dilxc_log "done: dilxc-client status, dilxc-client help; uninstall with deploy/uninstall.sh (keeps your data and settings)"
