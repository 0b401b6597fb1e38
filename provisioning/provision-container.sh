#!/usr/bin/env bash
# Provisions a dilxc sandbox: Docker, Node.js, Claude Code, dev tools and the
# "ubuntu" user's shell environment. Runs INSIDE the sandbox (or a chroot of
# its root file system) as root, on Ubuntu 24.04 or Debian 12.
#
#   provision-container.sh [--fish] [--no-packages] [--image-build]
#
#   --fish         install fish (unless --no-packages) and make it ubuntu's login shell
#   --no-packages  no package installs and no network: only the user, shell
#                  environment and helper commands (for an already provisioned image)
#   --image-build  running in a chroot while an image is built: never start a
#                  service (a policy-rc.d keeps package scripts from starting daemons)
#
# Env: CLAUDE_CODE_VERSION  npm version spec of @anthropic-ai/claude-code (default latest)
#
# Idempotent: every file it writes is replaced whole or in a marked block, so a
# re-run converges instead of appending. Sources that are not reachable (Docker's,
# NodeSource's and GitHub's apt repositories, astral.sh) fall back to the
# distribution's packages, or are skipped with a note saying how to add them later.
# Lines "--- Title ---" start a section; the daemon shows them as progress.
set -euo pipefail
shopt -s inherit_errexit

export DEBIAN_FRONTEND=noninteractive
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export LC_ALL=C.UTF-8

SCRIPT=$(readlink -f "${BASH_SOURCE[0]}")
FISH=0
PACKAGES=1
IMAGE_BUILD=0
CLAUDE_CODE_VERSION=${CLAUDE_CODE_VERSION:-latest}
USER_NAME=ubuntu
USER_ID=1000
USER_HOME=/home/ubuntu
HOOK=/tmp/custom-provision.sh
# How long a reachability probe may take: an unreachable source must cost
# seconds, not a TCP timeout per package.
PROBE_TIMEOUT=${DILXC_PROBE_TIMEOUT:-5}

section() { printf '\n--- %s ---\n' "$*"; }
ok() { printf '  %s ✓\n' "$*"; }
note() { printf '  NOTE: %s\n' "$*"; }
die() { printf 'provision-container: ERROR: %s\n' "$*" >&2; exit 1; }

usage() {
    sed -n '2,/^set -euo/{/^#/s/^# \{0,1\}//p}' "$SCRIPT"
}

for arg in "$@"; do
    case $arg in
        --fish) FISH=1 ;;
        --no-packages) PACKAGES=0 ;;
        --image-build) IMAGE_BUILD=1 ;;
        -h | --help) usage; exit 0 ;;
        *) die "unknown argument '$arg' (expected --fish, --no-packages, --image-build)" ;;
    esac
done

[[ $(id -u) -eq 0 ]] || die "must run as root (it installs packages and configures the '$USER_NAME' user)"
[[ -r /etc/os-release ]] || die "/etc/os-release is missing: cannot tell which distribution this is"
OS_ID=$(. /etc/os-release && echo "${ID:-}")
OS_VERSION=$(. /etc/os-release && echo "${VERSION_ID:-}")
OS_CODENAME=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
case "$OS_ID:$OS_VERSION" in
    ubuntu:24.04 | debian:12) ;;
    *) die "unsupported system '$OS_ID $OS_VERSION' (supported: Ubuntu 24.04, Debian 12)" ;;
esac

# --- helpers ----------------------------------------------------------------
reachable() {
    curl -fsS -o /dev/null --max-time "$PROBE_TIMEOUT" --retry 0 "$1" 2>/dev/null
}

# apt-get update exits 0 when it merely cannot reach a source ("W: Failed to
# fetch"): without this check a sandbox without network would go on to fail
# later with a confusing "Unable to locate package".
apt_update() {
    local out rc=0
    out=$(mktemp)
    apt-get update -q >"$out" 2>&1 || rc=$?
    cat "$out"
    if ((rc != 0)) || grep -qE '^(W: Failed to fetch|E: )' "$out"; then
        rm -f "$out"
        die "apt-get update could not reach the package archive (no network here?). A sandbox whose image is already provisioned needs only --no-packages."
    fi
    rm -f "$out"
}

apt_install() {
    apt-get install -y -q --no-install-recommends "$@"
}

# True when apt knows a package of that name that can be installed.
apt_has() {
    # awk reads to the end: "grep -q" would close the pipe early and, under
    # pipefail, turn apt-cache's SIGPIPE into "not found".
    apt-cache policy "$1" 2>/dev/null | awk '$1 == "Candidate:" && $2 != "(none)" { found = 1 } END { exit !found }'
}

as_user() {
    runuser -u "$USER_NAME" -- env HOME="$USER_HOME" USER="$USER_NAME" LOGNAME="$USER_NAME" "$@"
}

# Replaces the text between "# >>> dilxc >>>" and "# <<< dilxc <<<" in $1 with
# stdin, or puts the block at the top of the file when there is none yet. At the
# top, because Debian's and Ubuntu's ~/.bashrc return early in non-interactive
# shells: anything after that line is invisible to "su - ubuntu -c".
put_block() {
    local file=$1 block tmp
    block=$(printf '# >>> dilxc >>> managed by provision-container.sh; edits inside this block are overwritten\n'
        cat
        printf '# <<< dilxc <<<')
    tmp=$(mktemp)
    if [[ -f $file ]] && grep -q '^# >>> dilxc >>>' "$file"; then
        BLOCK=$block awk '
            /^# >>> dilxc >>>/ { print ENVIRON["BLOCK"]; skip = 1; next }
            skip && /^# <<< dilxc <<</ { skip = 0; next }
            !skip { print }' "$file" >"$tmp"
    else
        { printf '%s\n\n' "$block"; [[ -f $file ]] && cat "$file"; } >"$tmp"
    fi
    if [[ -f $file ]] && cmp -s "$tmp" "$file"; then
        rm -f "$tmp"
    else
        cat "$tmp" >"$file"
        rm -f "$tmp"
    fi
}

# Writes stdin to $1 with mode $2 (owner $3, default root) only when the content differs,
# so a re-run leaves files (and their mtimes) alone.
put_file() {
    local file=$1 mode=$2 owner=${3:-root:root} tmp
    tmp=$(mktemp)
    cat >"$tmp"
    if [[ -f $file ]] && cmp -s "$tmp" "$file"; then
        rm -f "$tmp"
    else
        mkdir -p "$(dirname "$file")"
        install -m "$mode" -o "${owner%%:*}" -g "${owner##*:}" "$tmp" "$file"
        rm -f "$tmp"
    fi
    chmod "$mode" "$file"
    chown "$owner" "$file"
}

version_of() {
    local out
    # Whole output first: piping into head would SIGPIPE multi-line printers (rsync).
    if out=$("$@" 2>/dev/null) && [[ -n $out ]]; then
        echo "${out%%$'\n'*}"
    else
        echo "not installed"
    fi
}

# --- chroot guard -----------------------------------------------------------
if ((IMAGE_BUILD)); then
    # invoke-rc.d asks policy-rc.d; 101 = "action not allowed": postinst scripts
    # (docker.io, ssh, ...) must not start daemons inside the build chroot.
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
        chmod 0755 /usr/sbin/policy-rc.d
        trap 'rm -f /usr/sbin/policy-rc.d' EXIT
    fi
fi

can_start_services() {
    ((IMAGE_BUILD == 0)) && [[ -d /run/systemd/system ]]
}

# --- packages ----------------------------------------------------------------
install_base() {
    section "Updating system packages"
    apt_update
    apt-get upgrade -y -q
    apt_install ca-certificates curl gnupg
    ok "Package lists updated ($OS_ID $OS_VERSION)"
}

install_docker() {
    section "Installing Docker"
    local arch repo=https://download.docker.com/linux/$OS_ID
    arch=$(dpkg --print-architecture)
    if reachable "$repo/gpg"; then
        install -m 0755 -d /etc/apt/keyrings
        curl -fsSL --max-time 60 "$repo/gpg" | gpg --dearmor --yes -o /etc/apt/keyrings/docker.gpg
        chmod a+r /etc/apt/keyrings/docker.gpg
        echo "deb [arch=$arch signed-by=/etc/apt/keyrings/docker.gpg] $repo $OS_CODENAME stable" \
            >/etc/apt/sources.list.d/docker.list
        apt_update
        apt_install docker-ce docker-ce-cli containerd.io docker-buildx-plugin docker-compose-plugin
    else
        note "Docker's apt repository ($repo) is not reachable: using the distribution's docker.io"
        # Left over from a run that could reach it: apt update would fail on it now.
        rm -f /etc/apt/sources.list.d/docker.list
        apt_install docker.io
        # Compose: the v2 plugin where the distribution has it (Ubuntu), else v1.
        local compose=""
        for compose in docker-compose-v2 docker-compose-plugin docker-compose; do
            if apt_has "$compose"; then
                apt_install "$compose" || note "could not install $compose; Docker works without it"
                break
            fi
            compose=""
        done
        [[ -n $compose ]] || note "no Docker Compose package in this distribution; Docker works without it"
    fi
    getent group docker >/dev/null || groupadd --system docker
    id -nG "$USER_NAME" | tr ' ' '\n' | grep -qx docker || usermod -aG docker "$USER_NAME"
    if command -v systemctl >/dev/null; then
        systemctl enable docker.service >/dev/null 2>&1 || note "could not enable docker.service"
    fi
    if can_start_services; then
        systemctl start docker.service || note "docker.service did not start now; it starts with the sandbox"
    fi
    ok "$(version_of docker --version)"
}

install_node() {
    section "Installing Node.js 22 LTS"
    if command -v node >/dev/null && [[ $(node --version) == v22.* ]]; then
        ok "Node.js $(node --version) already installed"
    elif reachable https://deb.nodesource.com/setup_22.x; then
        curl -fsSL --max-time 120 https://deb.nodesource.com/setup_22.x | bash -
        apt_install nodejs
    else
        note "NodeSource (deb.nodesource.com) is not reachable: using the distribution's nodejs and npm"
        apt_install nodejs npm
    fi
    ok "Node.js $(version_of node --version), npm $(version_of npm --version)"
}

install_claude() {
    section "Installing Claude Code"
    # The native CLI arrives as an optional dependency; its package.json asks for
    # node >= 22, which only matters to the wrapper, so an older distribution
    # node must not refuse the install.
    npm install -g --no-fund --no-audit --engine-strict=false \
        "@anthropic-ai/claude-code@$CLAUDE_CODE_VERSION"
    as_user claude --version >/dev/null || die "claude --version fails for the '$USER_NAME' user after the npm install"
    ok "Claude Code $(version_of as_user claude --version)"
}

install_tools() {
    section "Installing dev tools"
    apt_install git build-essential jq ripgrep fd-find tmux rsync openssh-client sudo procps less xz-utils unzip
    # Debian and Ubuntu name the binary fdfind (a clash with another "fd").
    if [[ -x /usr/bin/fdfind && ! -e /usr/local/bin/fd ]]; then
        ln -s /usr/bin/fdfind /usr/local/bin/fd
    fi
    ok "git, build-essential, jq, ripgrep, fd, tmux, rsync, openssh-client"
}

install_gh() {
    section "Installing GitHub CLI"
    local arch keyring=/etc/apt/keyrings/githubcli-archive-keyring.gpg
    arch=$(dpkg --print-architecture)
    if reachable https://cli.github.com/packages/githubcli-archive-keyring.gpg; then
        install -m 0755 -d /etc/apt/keyrings
        curl -fsSL --max-time 60 -o "$keyring" https://cli.github.com/packages/githubcli-archive-keyring.gpg
        chmod a+r "$keyring"
        echo "deb [arch=$arch signed-by=$keyring] https://cli.github.com/packages stable main" \
            >/etc/apt/sources.list.d/github-cli.list
        apt_update
    else
        note "GitHub's apt repository (cli.github.com) is not reachable: using the distribution's gh"
        rm -f /etc/apt/sources.list.d/github-cli.list
    fi
    apt_install gh
    ok "GitHub CLI $(version_of gh --version)"
}

install_fish() {
    section "Installing fish"
    apt_install fish
    ok "fish $(version_of fish --version)"
}

# Best effort: neither may fail the run.
install_uv_and_speckit() {
    section "Installing uv and Spec Kit"
    local uv=$USER_HOME/.local/bin/uv
    if [[ -x $uv ]]; then
        ok "uv $(version_of "$uv" --version) already installed"
    elif reachable https://astral.sh/uv/install.sh; then
        if curl -LsSf --max-time 120 https://astral.sh/uv/install.sh | as_user sh; then
            ok "uv $(version_of "$uv" --version)"
        else
            note "uv install failed; install later as ubuntu: curl -LsSf https://astral.sh/uv/install.sh | sh"
        fi
    else
        note "uv skipped: astral.sh is not reachable; install later as ubuntu: curl -LsSf https://astral.sh/uv/install.sh | sh"
    fi
    if [[ -x $uv ]] && reachable https://github.com/github/spec-kit; then
        if as_user "$uv" tool install --force specify-cli --from git+https://github.com/github/spec-kit.git; then
            ok "Spec Kit (specify)"
        else
            note "Spec Kit install failed; install later: uv tool install specify-cli --from git+https://github.com/github/spec-kit.git"
        fi
    else
        note "Spec Kit skipped: needs uv and github.com; install later: uv tool install specify-cli --from git+https://github.com/github/spec-kit.git"
    fi
}

# --- user and shell environment ----------------------------------------------
ensure_user() {
    local owner
    if ! getent group "$USER_NAME" >/dev/null; then
        owner=$(getent group "$USER_ID" | cut -d: -f1 || true)
        [[ -z $owner ]] || die "gid $USER_ID belongs to group '$owner', not '$USER_NAME'"
        groupadd --gid "$USER_ID" "$USER_NAME"
    fi
    if ! getent passwd "$USER_NAME" >/dev/null; then
        owner=$(getent passwd "$USER_ID" | cut -d: -f1 || true)
        [[ -z $owner ]] || die "uid $USER_ID belongs to user '$owner', not '$USER_NAME'"
        useradd --uid "$USER_ID" --gid "$USER_ID" --create-home --home-dir "$USER_HOME" --shell /bin/bash "$USER_NAME"
    fi
    [[ $(id -u "$USER_NAME") == "$USER_ID" ]] || die "user '$USER_NAME' has uid $(id -u "$USER_NAME"), the sandbox needs $USER_ID"
    # Ubuntu's skeleton files are what users expect; Debian's minbase has them too.
    local f
    for f in .bashrc .profile; do
        if [[ ! -e $USER_HOME/$f && -e /etc/skel/$f ]]; then
            install -m 0644 -o "$USER_ID" -g "$USER_ID" "/etc/skel/$f" "$USER_HOME/$f"
        fi
    done
    getent group docker >/dev/null || groupadd --system docker
    id -nG "$USER_NAME" | tr ' ' '\n' | grep -qx docker || usermod -aG docker "$USER_NAME"
    # The sandbox user administers its own container, as on stock Ubuntu images.
    put_file /etc/sudoers.d/90-dilxc-ubuntu 0440 <<<"$USER_NAME ALL=(ALL) NOPASSWD:ALL"
    # ~/.config may have been created by a disk device (gh-config) as root.
    install -d -o "$USER_ID" -g "$USER_ID" -m 0755 "$USER_HOME/project" "$USER_HOME/.local" "$USER_HOME/.local/bin"
    install -d -m 0755 "$USER_HOME/.config"
    [[ $(stat -c %u "$USER_HOME/.config") == "$USER_ID" ]] || chown "$USER_ID:$USER_ID" "$USER_HOME/.config" 2>/dev/null || true
    install -d -o "$USER_ID" -g "$USER_ID" -m 0700 "$USER_HOME/.config/dilxc"
    # Without it the CLI opens its first-run onboarding instead of working
    # unattended. Only when missing: it is also where the CLI keeps its state.
    if [[ ! -e $USER_HOME/.claude.json ]]; then
        printf '{\n  "hasCompletedOnboarding": true,\n  "autoUpdates": false\n}\n' |
            put_file "$USER_HOME/.claude.json" 0600 "$USER_ID:$USER_ID"
    fi
}

configure_git() {
    if ! command -v git >/dev/null; then
        note "git is not installed: git identity not set"
        return
    fi
    # Only when unset: a user's own identity survives re-provisioning.
    local key value
    while IFS='=' read -r key value; do
        as_user git config --global --get "$key" >/dev/null || as_user git config --global "$key" "$value"
    done <<'EOF'
init.defaultBranch=main
user.name=Claude Code (dilxc)
user.email=dilxc@localhost
EOF
}

write_environment() {
    install -d -m 0755 /etc/dilxc
    # One POSIX file that every way into the sandbox loads: bash login and
    # interactive shells (~/.profile, ~/.bashrc), non-interactive bash (BASH_ENV),
    # fish (conf.d) and the daemon's "sh -c '. /etc/dilxc/env.sh; exec ...'".
    put_file /etc/dilxc/env.sh 0644 <<'EOF'
# dilxc sandbox environment (POSIX sh), loaded by bash (~/.profile, ~/.bashrc,
# BASH_ENV), fish (~/.config/fish/conf.d/dilxc.fish) and the daemon's commands.
# Written by provision-container.sh: local edits are overwritten.
: "${HOME:=/home/ubuntu}"
case ":$PATH:" in
*":$HOME/.local/bin:"*) ;;
*) PATH="$HOME/.local/bin:$PATH" ;;
esac
export PATH
# Non-interactive bash reads only $BASH_ENV: pass this file on to child shells.
BASH_ENV=/etc/dilxc/env.sh
export BASH_ENV
# The host's ssh agent, forwarded by the ssh-agent proxy device when there is one.
if [ -S /tmp/ssh-agent.sock ]; then
	SSH_AUTH_SOCK=/tmp/ssh-agent.sock
	export SSH_AUTH_SOCK
fi
# Agent credentials: KEY=VALUE lines taken literally (never evaluated, so a
# value needs no quoting and cannot run anything).
if [ -r "$HOME/.config/dilxc/agent.env" ]; then
	while IFS= read -r __dilxc_line || [ -n "$__dilxc_line" ]; do
		__dilxc_key=${__dilxc_line%%=*}
		case $__dilxc_line in *=*) ;; *) continue ;; esac
		case $__dilxc_key in '' | [0-9]* | *[!A-Za-z0-9_]*) continue ;; esac
		export "$__dilxc_key=${__dilxc_line#*=}"
	done <"$HOME/.config/dilxc/agent.env"
	unset __dilxc_line __dilxc_key
fi
EOF

    # pam_env (su, login) reads this; it is how "su - ubuntu -c 'bash -c ...'" and
    # scripts run under sudo get BASH_ENV. The CLI must never update itself: the
    # image is pinned and "dilxc update" refreshes it.
    local envfile=/etc/environment
    touch "$envfile"
    local k v
    for kv in BASH_ENV=/etc/dilxc/env.sh DISABLE_AUTOUPDATER=1; do
        k=${kv%%=*} v=${kv#*=}
        if grep -q "^$k=" "$envfile"; then
            grep -qx "$k=$v" "$envfile" || sed -i "s|^$k=.*|$k=$v|" "$envfile"
        else
            echo "$k=$v" >>"$envfile"
        fi
    done
    # lxc exec bypasses PAM, so the CLI's own managed settings carry it too.
    put_file /etc/claude-code/managed-settings.json 0644 <<'EOF'
{
  "env": {
    "DISABLE_AUTOUPDATER": "1"
  }
}
EOF
}

write_commands() {
    # Executables, not aliases: they work in every shell, interactive or not.
    # "cc" itself is NOT one: /usr/local/bin/cc would shadow the C compiler that
    # make and configure call; it is a shell function for bash and fish instead.
    put_file /usr/local/bin/cc-resume 0755 <<'EOF'
#!/bin/sh
# Continues the most recent Claude Code session in this directory, unattended.
exec claude --dangerously-skip-permissions --continue "$@"
EOF
    put_file /usr/local/bin/cc-prompt 0755 <<'EOF'
#!/bin/sh
# Runs one prompt unattended: cc-prompt "fix the failing test".
exec claude --dangerously-skip-permissions -p "$@"
EOF
    put_file /usr/local/bin/sync-project 0755 <<'EOF'
#!/bin/sh
# Mirrors the read-only project mount into the working copy. The excluded names
# (at any depth) are neither copied nor deleted, so the working copy's own .git,
# node_modules, dist and build survive.
src=/home/ubuntu/project-src
dst=/home/ubuntu/project
if [ "$(id -u)" -eq 0 ]; then
	# Files made by root would not be the sandbox user's.
	exec runuser -u ubuntu -- "$0" "$@"
fi
if [ ! -d "$src" ]; then
	echo "No project source mounted at $src" >&2
	exit 1
fi
rsync -a --delete --exclude=node_modules --exclude=.git --exclude=dist --exclude=build "$src/" "$dst/"
rc=$?
if [ "$rc" -ne 0 ]; then
	echo "sync-project: rsync failed (exit $rc); $dst may be partly updated" >&2
	exit "$rc"
fi
echo "Project synced from source mount ✓"
EOF
    put_file /usr/local/bin/deploy 0755 <<'EOF'
#!/bin/sh
# deploy [src]: copies src (default: the current directory) to the host's deploy
# mount. --delete: files in /mnt/deploy that src does not have are removed.
src=${1:-.}
if [ ! -d /mnt/deploy ]; then
	echo "No deploy mount available. Use 'dilxc pull' from the host instead." >&2
	exit 1
fi
rsync -a --delete "$src" /mnt/deploy/
rc=$?
if [ "$rc" -ne 0 ]; then
	echo "deploy: rsync failed (exit $rc); /mnt/deploy may be partly updated" >&2
	exit "$rc"
fi
echo "Deployed to /mnt/deploy ✓"
EOF
}

configure_shells() {
    # Top of ~/.bashrc: read by interactive bash and, through ~/.profile, by
    # login shells (su - ubuntu -c), before the skeleton's non-interactive return.
    put_block "$USER_HOME/.bashrc" <<'EOF'
[ -r /etc/dilxc/env.sh ] && . /etc/dilxc/env.sh
cc() { claude --dangerously-skip-permissions "$@"; }
EOF
    # Login shells that are not bash, or a ~/.profile that does not reach ~/.bashrc.
    put_block "$USER_HOME/.profile" <<'EOF'
[ -r /etc/dilxc/env.sh ] && . /etc/dilxc/env.sh
EOF
    chown "$USER_ID:$USER_ID" "$USER_HOME/.bashrc" "$USER_HOME/.profile"

    # Fish reads conf.d in every mode (login, interactive, fish -c). It cannot
    # source POSIX sh, so it imports what env.sh exports, through sh.
    if command -v fish >/dev/null; then
        install -d -o "$USER_ID" -g "$USER_ID" -m 0755 "$USER_HOME/.config/fish" "$USER_HOME/.config/fish/conf.d"
        put_file "$USER_HOME/.config/fish/conf.d/dilxc.fish" 0644 "$USER_ID:$USER_ID" <<'EOF'
# dilxc sandbox environment for fish: imports what /etc/dilxc/env.sh exports.
# Written by provision-container.sh: local edits are overwritten.
if test -r /etc/dilxc/env.sh
    for kv in (env HOME=$HOME sh -c '. /etc/dilxc/env.sh && env -0' | string split0)
        set -l pair (string split -m 1 = -- $kv)
        set -l name $pair[1]
        contains -- $name PWD OLDPWD SHLVL _; and continue
        # Only what env.sh added or changed: fish's own variables stay untouched.
        set -q $name; and test "$$name" = "$pair[2]"; and continue
        if test $name = PATH
            set -gx PATH (string split : -- $pair[2])
        else
            set -gx $name $pair[2]
        end
    end
end
function cc --wraps claude --description 'claude --dangerously-skip-permissions'
    claude --dangerously-skip-permissions $argv
end
if status is-interactive
    abbr -a cc-resume 'claude --dangerously-skip-permissions --continue'
    abbr -a cc-prompt 'claude --dangerously-skip-permissions -p'
end
EOF
    fi

    if ((FISH)); then
        command -v fish >/dev/null ||
            die "--fish: fish is not installed and --no-packages forbids installing it (provision without --no-packages, or use an image that has fish)"
        local fish_path
        fish_path=$(command -v fish)
        grep -qx "$fish_path" /etc/shells || echo "$fish_path" >>/etc/shells
        [[ $(getent passwd "$USER_NAME" | cut -d: -f7) == "$fish_path" ]] || chsh -s "$fish_path" "$USER_NAME"
        ok "fish is $USER_NAME's login shell"
    fi
}

configure_user() {
    section "Configuring ubuntu user"
    ensure_user
    configure_git
    write_environment
    write_commands
    configure_shells
    ok "User configured (shell: $(getent passwd "$USER_NAME" | cut -d: -f7))"
}

run_hook() {
    [[ -e $HOOK ]] || return 0
    section "Running custom provisioning"
    # Moved out of /tmp first: it runs once, whether it succeeds or not, and a
    # later provisioning never finds a stale copy.
    local hook rc=0
    hook=$(mktemp /root/custom-provision.XXXXXX)
    mv -f "$HOOK" "$hook"
    chmod 0700 "$hook"
    (cd /root && "$hook") || rc=$?
    rm -f "$hook"
    ((rc == 0)) || die "custom provisioning ($HOOK) failed with exit $rc; it has been removed, push it again to retry"
    ok "Custom provisioning complete"
}

compose_version() {
    if docker compose version >/dev/null 2>&1; then
        version_of docker compose version
    else
        version_of docker-compose --version
    fi
}

report() {
    printf '\n=== Container Provisioning Complete ===\n\n'
    local fd=fdfind
    command -v fd >/dev/null && fd=fd
    printf '  %-14s %s\n' \
        "Docker:" "$(version_of docker --version)" \
        "Compose:" "$(compose_version)" \
        "Node.js:" "$(version_of node --version)" \
        "npm:" "$(version_of npm --version)" \
        "Claude Code:" "$(version_of as_user claude --version)" \
        "Git:" "$(version_of git --version)" \
        "GitHub CLI:" "$(version_of gh --version)" \
        "ripgrep:" "$(version_of rg --version)" \
        "fd:" "$(version_of "$fd" --version)" \
        "jq:" "$(version_of jq --version)" \
        "tmux:" "$(version_of tmux -V)" \
        "rsync:" "$(version_of rsync --version)" \
        "fish:" "$(version_of fish --version)" \
        "uv:" "$(version_of "$USER_HOME/.local/bin/uv" --version)" \
        "Shell:" "$(getent passwd "$USER_NAME" | cut -d: -f7)"
}

# --- main --------------------------------------------------------------------
mode=""
((PACKAGES)) || mode+=" --no-packages"
((FISH == 0)) || mode+=" --fish"
((IMAGE_BUILD == 0)) || mode+=" --image-build"
printf 'Provisioning %s %s%s (Claude Code %s)\n' "$OS_ID" "$OS_VERSION" "$mode" "$CLAUDE_CODE_VERSION"
if ((PACKAGES)); then
    install_base
    # The docker group and uid 1000 before anything that refers to them.
    ensure_user
    install_tools
    install_docker
    install_node
    install_claude
    install_gh
    # The image carries fish so "init --fish" works offline in a sandbox.
    if ((FISH || IMAGE_BUILD)); then
        install_fish
    fi
    install_uv_and_speckit
fi
configure_user
run_hook
if ((PACKAGES)); then
    # What this stamp means: the packages of exactly this script are installed,
    # so "init" may run it again with --no-packages. A --no-packages run installs
    # nothing, so it leaves the stamp as it was.
    sha256sum "$SCRIPT" | cut -c1-64 >/etc/dilxc/provisioned
fi
report
