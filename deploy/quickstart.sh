#!/usr/bin/env bash
# From a clean clone on a fresh Debian/Ubuntu machine, as root: installs what dilxc needs, starts LXD
# (or Incus, with DILXC_BACKEND=incus),
# builds the golden image, installs dilxc and starts its daemon as a service (deploy/install.sh),
# makes a sandbox for a project with 'dilxc-client init' and runs one job in it with your ANTHROPIC_API_KEY or CLAUDE_CODE_OAUTH_TOKEN, then shows its log. Run it again
# any time: every step is skipped or converges when already done.
#
#   ANTHROPIC_API_KEY=sk-ant-... deploy/quickstart.sh ["prompt"]
#
# Env:
#   DILXC_PROJECT   the project to sandbox (default: a small demo project in ~/dilxc-demo)
#   DILXC_SANDBOX   sandbox name (default docker-lxc, the original tool's default)
#   DILXC_BACKEND   lxd (default) or incus: which one to install and start, and for dilxc to drive
#                   (DILXC_LXD_BACKEND, the daemon's own variable, is taken when this is not set)
#   DILXC_NETWORK   bridge (default): the sandbox gets a NATed NIC on the LXD bridge dilxcbr0 so the
#                   agent can reach the Anthropic API; none: no NIC (for a local ANTHROPIC_BASE_URL,
#                   bridged in with an LXD proxy device)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. deploy/lib.sh

sandbox=${DILXC_SANDBOX:-docker-lxc}
backend=${DILXC_BACKEND:-${DILXC_LXD_BACKEND:-lxd}}
case $backend in
    lxd) cli=lxc ;;
    incus) cli=incus ;;
    *) dilxc_die "DILXC_BACKEND=$backend: use lxd or incus" ;;
esac
network=${DILXC_NETWORK:-bridge}
project=${DILXC_PROJECT:-$HOME/dilxc-demo}
prompt=${1:-"Create a file hello.txt in the current directory that says hello from dilxc, then list the directory."}

[ "$(id -u)" -eq 0 ] || dilxc_die "run as root: dilxc drives LXD, which is root-equivalent"
if [ -z "${ANTHROPIC_API_KEY:-}" ] && [ -z "${CLAUDE_CODE_OAUTH_TOKEN:-}" ]; then
    dilxc_die "set ANTHROPIC_API_KEY (a Console key) or CLAUDE_CODE_OAUTH_TOKEN (from 'claude setup-token') first"
fi

"provisioning/host/setup-$backend.sh"
DILXC_LXD_CLIENT=$cli provisioning/image/build-image.sh

# The daemon as a service (systemd user unit with lingering; in the background where systemd is not
# PID 1), the launchers in ~/.local/bin and the client's start-up cache; converges when run again.
deploy/install.sh --backend "$backend"
client=${XDG_DATA_HOME:-$HOME/.local/share}/dilxc/app/bin/dilxc-client

if [ -z "${DILXC_PROJECT:-}" ] && [ ! -d "$project" ]; then
    dilxc_log "making a demo project in $project"
    mkdir -p "$project"
    printf '# dilxc demo\n\nA project for the quick start.\n' >"$project/README.md"
    # Sandboxes see host uid 1000 as their user (LXD: raw.idmap, set up by setup-lxd.sh; Incus: shifted
    # mounts); a root-owned project would need root:0:1.
    chown -R 1000:1000 "$project"
fi

# init reads the key from this environment into the sandbox's agent.env (through the daemon's socket
# and stdin, never a command line), converges when the sandbox exists, and writes $project/.dilxc.
dilxc_log "dilxc-client init -p $project -n $sandbox"
"$client" init -p "$project" -n "$sandbox"

if [ "$network" = bridge ]; then
    "$cli" network show dilxcbr0 >/dev/null 2>&1 \
        || "$cli" network create dilxcbr0 ipv4.address=auto ipv4.nat=true ipv6.address=none >/dev/null
    if ! "$cli" config device show "$sandbox" | grep -q '^eth0:'; then
        dilxc_log "giving '$sandbox' a NIC on dilxcbr0 so the agent can reach the API"
        "$cli" config device add "$sandbox" eth0 nic network=dilxcbr0 name=eth0 >/dev/null
    fi
fi
if [ -n "${ANTHROPIC_BASE_URL:-}" ]; then
    dilxc_log "adding ANTHROPIC_BASE_URL to the sandbox's agent.env"
    # shellcheck disable=SC2016 # $HOME: the sandbox user's, expanded by sh in the sandbox
    printf 'ANTHROPIC_BASE_URL=%s\n' "$ANTHROPIC_BASE_URL" | "$cli" exec "$sandbox" --user 1000 --group 1000 \
        --env HOME=/home/ubuntu -- sh -c 'grep -v "^ANTHROPIC_BASE_URL=" "$HOME/.config/dilxc/agent.env" > "$HOME/.config/dilxc/agent.env.new" || true; cat >> "$HOME/.config/dilxc/agent.env.new"; chmod 600 "$HOME/.config/dilxc/agent.env.new"; mv "$HOME/.config/dilxc/agent.env.new" "$HOME/.config/dilxc/agent.env"'
fi

dilxc_log "submitting: $prompt"
status=0
(cd "$project" && "$client" claude-run "$prompt") || status=$?
dilxc_log "done (exit $status). Next, from $project: dilxc-client status | shell | jobs | job ID | logs ID"
exit "$status"
