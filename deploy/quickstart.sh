#!/usr/bin/env bash
# From a clean clone on a fresh Debian/Ubuntu machine, as root: installs what dilxc needs, builds it,
# starts LXD and the dilxc daemon, makes a sandbox named "dilxc" and runs one job in it with your
# ANTHROPIC_API_KEY or CLAUDE_CODE_OAUTH_TOKEN, then shows its log. Run it again any time: every step
# is skipped when already done.
#
#   ANTHROPIC_API_KEY=sk-ant-... deploy/quickstart.sh ["prompt"]
#
# Env:
#   DILXC_SANDBOX   sandbox name (default dilxc)
#   DILXC_NETWORK   bridge (default): the sandbox gets a NATed NIC on the LXD bridge dilxcbr0 so the
#                   agent can reach the Anthropic API; none: no NIC (for a local ANTHROPIC_BASE_URL,
#                   bridged in with an LXD proxy device)
#   ANTHROPIC_BASE_URL  optional, written to the sandbox's agent.env
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. deploy/lib.sh

sandbox=${DILXC_SANDBOX:-dilxc}
network=${DILXC_NETWORK:-bridge}
prompt=${1:-"Create a file hello.txt in the current directory that says hello from dilxc, then list the directory."}

[ "$(id -u)" -eq 0 ] || dilxc_die "run as root: dilxc drives LXD, which is root-equivalent"
if [ -z "${ANTHROPIC_API_KEY:-}" ] && [ -z "${CLAUDE_CODE_OAUTH_TOKEN:-}" ]; then
    dilxc_die "set ANTHROPIC_API_KEY (a Console key) or CLAUDE_CODE_OAUTH_TOKEN (from 'claude setup-token') first"
fi

dilxc_find_jdk
dilxc_find_maven
if [ ! -f daemon/target/dilxc-daemon.jar ] || [ ! -f client/target/dilxc-client.jar ]; then
    dilxc_log "building dilxc"
    mvn -B -q -ntp -DskipTests package
fi

provisioning/host/setup-lxd.sh
provisioning/image/build-image.sh

if ! lxc info "$sandbox" >/dev/null 2>&1; then
    dilxc_log "creating sandbox '$sandbox'"
    # Docker inside needs nesting and the mknod/setxattr interception.
    launch=(lxc launch "${DILXC_IMAGE:-dilxc-golden}" "$sandbox" -c security.nesting=true
            -c security.syscalls.intercept.mknod=true -c security.syscalls.intercept.setxattr=true)
    if [ "$network" = bridge ]; then
        lxc network show dilxcbr0 >/dev/null 2>&1 \
            || lxc network create dilxcbr0 ipv4.address=auto ipv4.nat=true ipv6.address=none >/dev/null
        launch+=(--network dilxcbr0)
    fi
    "${launch[@]}" >/dev/null
fi
lxc start "$sandbox" 2>/dev/null || true

# The agent's environment goes in through stdin, never a command line or LXD config.
dilxc_log "writing the agent's environment into the sandbox (agent.env, mode 0600)"
{
    [ -n "${ANTHROPIC_API_KEY:-}" ] && printf 'ANTHROPIC_API_KEY=%s\n' "$ANTHROPIC_API_KEY"
    [ -n "${CLAUDE_CODE_OAUTH_TOKEN:-}" ] && printf 'CLAUDE_CODE_OAUTH_TOKEN=%s\n' "$CLAUDE_CODE_OAUTH_TOKEN"
    [ -n "${ANTHROPIC_BASE_URL:-}" ] && printf 'ANTHROPIC_BASE_URL=%s\n' "$ANTHROPIC_BASE_URL"
    printf 'DISABLE_AUTOUPDATER=1\nDISABLE_TELEMETRY=1\n'
} | lxc exec "$sandbox" --user 1000 --group 1000 --env HOME=/home/ubuntu -- \
    sh -c 'mkdir -p "$HOME/.config/dilxc" && umask 077 && cat > "$HOME/.config/dilxc/agent.env"'

if ! deploy/bin/dilxc-client jobs --limit 1 >/dev/null 2>&1; then
    state_dir=${XDG_STATE_HOME:-$HOME/.local/state}/dilxc
    mkdir -p "$state_dir"
    dilxc_log "starting the daemon (log: $state_dir/daemon.log)"
    setsid -f deploy/bin/dilxc-daemon --dilxc.jobs.default-sandbox="$sandbox" </dev/null >>"$state_dir/daemon.log" 2>&1
    for _ in $(seq 1 60); do
        deploy/bin/dilxc-client jobs --limit 1 >/dev/null 2>&1 && break
        sleep 0.5
    done
    deploy/bin/dilxc-client jobs --limit 1 >/dev/null || dilxc_die "the daemon did not come up; see $state_dir/daemon.log"
fi

dilxc_log "submitting: $prompt"
status=0
deploy/bin/dilxc-client submit --sandbox "$sandbox" --wait -- "$prompt" || status=$?
dilxc_log "done (exit $status). Next: deploy/bin/dilxc-client jobs | job ID | logs ID"
exit "$status"
