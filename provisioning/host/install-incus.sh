#!/usr/bin/env bash
# Installs Incus (6.0 LTS): on Debian 12 from bookworm-backports next to Debian's LXD 5.0.2; on
# releases that carry it (Debian 13, Ubuntu 24.04) from their own archive. On bookworm it goes in
# without touching LXD: it refuses to go on when apt would upgrade or remove any
# package that is already installed (liblxc1, libraft, lxd, ...), since LXD links
# against those and re-execs itself for every container it starts.
#
# Idempotent: adds the bookworm-backports suite only when no apt source has it
# (same mirror as the host's own bookworm entry), runs apt-get update only when the
# backports lists are missing, installs only what is missing.
#
# Env:
#   INCUS_PACKAGES   what to install (default: "incus-base incus-client": containers only;
#                    the "incus" package adds QEMU/VM support, useless without KVM)
#   INCUS_MIRROR     Debian mirror for the backports entry (default: the host's bookworm entry)
#   INCUS_ALLOW_UPGRADES=1  install even when apt would upgrade installed packages
set -euo pipefail
shopt -s inherit_errexit

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export DEBIAN_FRONTEND=noninteractive

SUITE="bookworm-backports"
SOURCES_FILE=/etc/apt/sources.list.d/bookworm-backports.sources
read -r -a PACKAGES <<<"${INCUS_PACKAGES:-incus-base incus-client}"

log() { printf 'install-incus: %s\n' "$*" >&2; }
die() { printf 'install-incus: ERROR: %s\n' "$*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || die "must run as root"
bookworm=false
grep -qx 'VERSION_CODENAME=bookworm' /etc/os-release && bookworm=true

# --- 1. the backports suite --------------------------------------------------------
# Every active (non-comment) line of every apt source, one-line or deb822 style.
active_sources() {
    cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources \
        2>/dev/null | grep -v '^[[:space:]]*#' || true
}

mirror() {
    if [[ -n ${INCUS_MIRROR:-} ]]; then
        echo "$INCUS_MIRROR"
        return
    fi
    local uri
    uri=$(active_sources | grep -oE '(https?|ftp)://[^[:space:]]+/debian/?([[:space:]]|$)' |
        head -n1 | tr -d '[:space:]' || true)
    echo "${uri:-http://deb.debian.org/debian}"
}

added=0
if ! $bookworm; then
    SUITE=""
    log "not Debian bookworm: installing from this release's own archive"
    apt-cache policy incus-base 2>/dev/null | grep -q 'Candidate: [0-9]' || apt-get update -qq -o DPkg::Lock::Timeout=300 ||
        die "apt-get update failed"
elif active_sources | grep -qE "(^|[[:space:]])$SUITE([[:space:]]|$)"; then
    log "$SUITE is already in apt's sources"
else
    log "adding $SUITE from $(mirror) as $SOURCES_FILE"
    cat >"$SOURCES_FILE.tmp" <<EOF
# Added by install-incus.sh: Incus 6.0 LTS comes from here. Backports are pinned
# at priority 100 by their Release file, so nothing upgrades from here unasked.
Types: deb
URIs: $(mirror)
Suites: $SUITE
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
    mv "$SOURCES_FILE.tmp" "$SOURCES_FILE"
    added=1
fi

# Package lists of the suite present? (apt-cache policy names the suite once known.)
if $bookworm && { ((added)) || ! apt-cache policy 2>/dev/null | grep -q "a=$SUITE\|n=$SUITE"; }; then
    log "apt-get update"
    apt-get update -qq -o DPkg::Lock::Timeout=300 || die "apt-get update failed"
fi

# --- 2. the packages -----------------------------------------------------------------
missing=()
for p in "${PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    [[ $status == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]})); then
    candidate=$(apt-cache policy "${missing[0]}" | awk '/Candidate:/ { print $2 }')
    [[ -n $candidate && $candidate != "(none)" ]] || die "${missing[0]} has no install candidate"
    # Simulate first: "Inst PKG [OLD] (NEW ...)" is an upgrade of an installed
    # package, "Remv PKG" a removal. Either could hit the running LXD.
    target=()
    [[ -n $SUITE ]] && target=(-t "$SUITE")
    plan=$(apt-get -s install "${target[@]}" --no-install-recommends "${missing[@]}" 2>&1) ||
        { printf '%s\n' "$plan" >&2; die "apt-get cannot install ${missing[*]}"; }
    touched=$(grep -E '^(Inst [^ ]+ \[|Remv )' <<<"$plan" || true)
    if [[ -n $touched && ${INCUS_ALLOW_UPGRADES:-0} != 1 ]]; then
        printf '%s\n' "$touched" >&2
        die "installing ${missing[*]} would upgrade or remove installed packages (above); set INCUS_ALLOW_UPGRADES=1 to accept"
    fi
    log "installing ${missing[*]} ($candidate) from ${SUITE:-the release archive}"
    # policy-rc.d or a missing systemd may stop the postinst from starting incusd;
    # that is fine: the daemon is started by hand (see NOTES.md).
    apt-get install -y -qq -o DPkg::Lock::Timeout=300 "${target[@]}" --no-install-recommends \
        "${missing[@]}" >/dev/null || die "apt-get install ${missing[*]} failed"
else
    log "already installed: ${PACKAGES[*]}"
fi

command -v incus >/dev/null || die "'incus' not found after the install"
[[ -x /usr/libexec/incus/incusd || -x /usr/sbin/incusd || -x /usr/bin/incusd ]] ||
    die "incusd not found after the install"

printf 'install-incus: installed:'
for p in "${PACKAGES[@]}"; do
    printf ' %s=%s' "$p" "$(dpkg-query -W -f='${Version}' "$p")"
done
printf '\n'
