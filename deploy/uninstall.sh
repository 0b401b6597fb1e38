#!/usr/bin/env bash
# Removes what deploy/install.sh installed, keeping your data and settings:
#
#   deploy/uninstall.sh                  # stops and disables dilxc.service (or the background daemon),
#                                        # removes the launchers and the app directory
#   deploy/uninstall.sh --purge          # also deletes the database and job history ($XDG_DATA_HOME/dilxc,
#                                        # else ~/.local/share/dilxc), the settings (~/.config/dilxc) and the
#                                        # log and socket directory (~/.local/state/dilxc)
#   deploy/uninstall.sh --system --user NAME [--purge]   # as root, for an install made with --system
#
# Stopping sends SIGTERM: running jobs get dilxc.jobs.shutdown-grace, then end INTERRUPTED with their
# restore policy applied. Sandboxes (LXD instances) and their snapshots are never touched: list them with
# 'lxc list' and delete them with 'dilxc-client destroy NAME' before uninstalling if you want them gone.
# Lingering (loginctl enable-linger) is left on: other services of yours may need it.
# Running it again when nothing is installed changes nothing and succeeds.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=deploy/lib.sh
. "$repo/deploy/lib.sh"
# shellcheck source=deploy/install-lib.sh
. "$repo/deploy/install-lib.sh"

system=false
service_user=""
purge=false
while [ $# -gt 0 ]; do
    case "$1" in
        --system) system=true ;;
        --user) [ $# -ge 2 ] || dilxc_die "--user needs a user name"; service_user=$2; shift ;;
        --user=*) service_user=${1#--user=} ;;
        --purge) purge=true ;;
        -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) dilxc_die "unknown option '$1' (known: --purge, --system, --user NAME, --help)" ;;
    esac
    shift
done

if $system; then
    [ "$(id -u)" -eq 0 ] || dilxc_die "--system: run it as root"
    [ -n "$service_user" ] || dilxc_die "--system needs --user NAME (the user the daemon ran as)"
    home=$(getent passwd "$service_user" | cut -d: -f6) || dilxc_die "no user '$service_user'"
    data_home=$home/.local/share config_home=$home/.config state_home=$home/.local/state bin_dir=/usr/local/bin
else
    [ -z "$service_user" ] || dilxc_die "--user only goes with --system"
    data_home=${XDG_DATA_HOME:-$HOME/.local/share}
    config_home=${XDG_CONFIG_HOME:-$HOME/.config}
    state_home=${XDG_STATE_HOME:-$HOME/.local/state}
    bin_dir=$HOME/.local/bin
fi
app_dir=$data_home/dilxc/app
state_dir=$state_home/dilxc

# The service first, so nothing runs the files removed below.
if $system; then
    if [ -f "/etc/systemd/system/$DILXC_UNIT" ]; then
        systemctl disable --now "$DILXC_UNIT" >/dev/null 2>&1 || true
        rm -f "/etc/systemd/system/$DILXC_UNIT"
        systemctl daemon-reload || true
        dilxc_log "stopped and removed the system unit $DILXC_UNIT"
    fi
else
    user_unit=$config_home/systemd/user/$DILXC_UNIT
    if [ -f "$user_unit" ]; then
        if [ -d /run/systemd/system ]; then
            systemctl --user disable --now "$DILXC_UNIT" >/dev/null 2>&1 || true
        fi
        rm -f "$user_unit"
        if [ -d /run/systemd/system ]; then systemctl --user daemon-reload 2>/dev/null || true; fi
        dilxc_log "stopped and removed the user unit $DILXC_UNIT"
    fi
fi
if [ -d "$state_dir" ]; then
    dilxc_install_stop_background "$state_dir"
fi

for name in dilxc-daemon dilxc-client; do
    target=$bin_dir/$name
    if [ -L "$target" ] && [ "$(readlink "$target")" = "$app_dir/bin/$name" ]; then
        rm -f "$target"
    elif $system && [ -f "$target" ] && grep -q "install.sh --system" "$target"; then
        rm -f "$target"
    elif [ -e "$target" ] || [ -L "$target" ]; then
        dilxc_log "leaving $target: install.sh did not make it"
    fi
done
# The start-up caches of the installed jars (derived data; other jars' slots are left alone): the client's
# in the home of whoever ran install.sh, the daemon's in the service user's.
# shellcheck source=deploy/bin/launch.sh
. "$repo/deploy/bin/launch.sh"
client_cache_home=$HOME daemon_cache_home=$HOME
if $system; then
    client_cache_home=$(getent passwd "${SUDO_USER:-root}" | cut -d: -f6)
    daemon_cache_home=$home
fi
client_cache_root=${DILXC_CLIENT_CACHE_DIR:-${XDG_CACHE_HOME:-$client_cache_home/.cache}/dilxc/client}
daemon_cache_root=${DILXC_DAEMON_CACHE_DIR:-${XDG_CACHE_HOME:-$daemon_cache_home/.cache}/dilxc/daemon}
if $system; then daemon_cache_root=$home/.cache/dilxc/daemon; fi
# As the launchers see them: through their own path with the links resolved.
installed_lib=$(readlink -f -- "$app_dir" || printf '%s' "$app_dir")/lib
# Each slot, and the one the client's had when slots were named after the jar's path ('/' as '%').
for slot in "$(launch_cache_slot "$client_cache_root" "$installed_lib/dilxc-client.jar")" \
        "$client_cache_root/${installed_lib//\//%}%dilxc-client.jar" \
        "$(launch_cache_slot "$daemon_cache_root" "$installed_lib/dilxc-daemon.jar")"; do
    if [ -d "$slot" ]; then
        rm -rf "${slot:?}"
        dilxc_log "removed the start-up cache $slot"
    fi
done
if [ -d "$app_dir" ]; then
    rm -rf "$app_dir"
    dilxc_log "removed $app_dir and the launchers"
fi

if $purge; then
    for dir in "$data_home/dilxc" "$config_home/dilxc" "$state_dir"; do
        if [ -e "$dir" ]; then
            rm -rf "$dir"
            dilxc_log "deleted $dir"
        fi
    done
    dilxc_log "purged. LXD sandboxes and their snapshots are untouched (lxc list)."
else
    kept=()
    for dir in "$data_home/dilxc" "$config_home/dilxc" "$state_dir"; do
        [ -e "$dir" ] && kept+=("$dir")
    done
    if [ ${#kept[@]} -gt 0 ]; then
        dilxc_log "kept your data, settings and log: ${kept[*]} (deploy/uninstall.sh --purge deletes them)"
    fi
    dilxc_log "uninstalled. LXD sandboxes and their snapshots are untouched (lxc list)."
fi
