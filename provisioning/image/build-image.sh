#!/usr/bin/env bash
# Builds the sandbox image (Debian bookworm + systemd + the real Claude Code CLI,
# user "ubuntu" 1000:1000) and imports it into the local LXD as $DILXC_IMAGE.
#
# No image server is reachable from the test machines, so the image is made
# here from Debian's apt mirror and the npm registry. Three speeds:
#   1. LXD already has the alias and its dilxc.build_key property matches -> ~0.1 s
#   2. /var/cache/dilxc/images/<key>/ holds the tarballs -> import only (~2 s)
#   3. otherwise debootstrap + download + pack + import (~1 min)
# The key covers every file in this directory plus the CLI version, so editing
# the recipe rebuilds and an unchanged recipe never does.
#
# Env:
#   DILXC_IMAGE         image alias (default dilxc-base)
#   DILXC_MIRROR        Debian mirror (default: the host's apt sources, else deb.debian.org)
#   DILXC_NPM_REGISTRY  npm registry (default $npm_config_registry or registry.npmjs.org)
#   DILXC_FORCE_BUILD=1 ignore both caches
set -euo pipefail
# Failures inside $(...) must abort too (e.g. in fetch_claude).
shopt -s inherit_errexit

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export LC_ALL=C.UTF-8

ALIAS=${DILXC_IMAGE:-dilxc-base}
SUITE=bookworm
CLAUDE_VERSION=2.1.332
# sha512 of the npm tarball, = the registry's "integrity" (sha512-f4JWhzwY...) in hex.
# Pinned so a changed or truncated download can never end up in an image.
CLAUDE_TGZ_SHA512=7f8256873c18bad2481d2702eff75838f5fab36f2db7b6400e1b0e8bccf0387ab97c53c4b94782861d8d31f8a74a0d06ad472463169e79b0b88740ea88accb73
PACKAGES=systemd-sysv,procps,ca-certificates,git,sudo,bash,coreutils,less,dbus,rsync,openssh-client

CACHE=/var/cache/dilxc
BUILD_ROOT=$CACHE/build
KEEP_CACHED_KEYS=3
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
START=$SECONDS

log() { printf 'build-image: [%3ds] %s\n' "$((SECONDS - START))" "$*" >&2; }
die() { printf 'build-image: ERROR: %s\n' "$*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || die "must run as root"
for c in lxc debootstrap curl pigz sha256sum sha512sum flock chroot; do
    command -v "$c" >/dev/null || die "'$c' missing; run provisioning/host/setup-lxd.sh first"
done
timeout 10 lxc query /1.0 >/dev/null 2>&1 || die "LXD is not reachable; run provisioning/host/setup-lxd.sh first"

# Content hash of the recipe (all files here, in a fixed order) + CLI version.
BUILD_KEY=$(
    cd "$HERE"
    find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
    echo "claude-code=$CLAUDE_VERSION"
)
BUILD_KEY=$(sha256sum <<<"$BUILD_KEY" | cut -c1-64)
KEY_DIR=$CACHE/images/$BUILD_KEY

image_is_current() {
    [[ ${DILXC_FORCE_BUILD:-0} != 1 ]] &&
        [[ $(lxc image get-property "$ALIAS" dilxc.build_key 2>/dev/null) == "$BUILD_KEY" ]]
}

if image_is_current; then
    log "image '$ALIAS' is current (key ${BUILD_KEY:0:12})"
    exit 0
fi

# Parallel callers would each spend minutes building the same thing; the second
# one waits and then finds the image current.
mkdir -p "$CACHE"
exec 9>"$CACHE/build-image.lock"
flock -w 1800 9 || die "timed out waiting for $CACHE/build-image.lock"
if image_is_current; then
    log "image '$ALIAS' was built by a concurrent run"
    exit 0
fi

# --- helpers ------------------------------------------------------------------
# debootstrap mounts /proc and /sys inside the target and leaves them mounted if
# it dies; rm -rf on such a tree would walk into the host's /sys. Unmount first.
release_tree() {
    local dir=$1 m
    [[ -e $dir ]] || return 0
    while read -r m; do
        umount -l "$m" 2>/dev/null || true
    done < <(awk -v d="$dir" 'index($2, d "/") == 1 || $2 == d { print $2 }' /proc/self/mounts | sort -r)
    rm -rf --one-file-system "$dir"
}

mirror() {
    if [[ -n ${DILXC_MIRROR:-} ]]; then
        echo "$DILXC_MIRROR"
        return
    fi
    # First non-security Debian archive URI in the host's sources (one-line or deb822).
    local uri
    uri=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
        grep -v '^[[:space:]]*#' | grep -oE '(https?|ftp)://[^[:space:]]+/debian/?([[:space:]]|$)' |
        head -n1 | tr -d '[:space:]' || true)
    echo "${uri:-http://deb.debian.org/debian}"
}

fetch_claude() {
    local registry dl=$CACHE/downloads tgz
    registry=${DILXC_NPM_REGISTRY:-${npm_config_registry:-${NPM_CONFIG_REGISTRY:-https://registry.npmjs.org}}}
    tgz=$dl/claude-code-linux-x64-$CLAUDE_VERSION.tgz
    mkdir -p "$dl"
    if [[ ! -f $tgz ]] || ! sha512sum -c --status <<<"$CLAUDE_TGZ_SHA512  $tgz"; then
        log "downloading @anthropic-ai/claude-code-linux-x64@$CLAUDE_VERSION from $registry"
        curl -fsSL --retry 3 --connect-timeout 20 -o "$tgz.part" \
            "${registry%/}/@anthropic-ai/claude-code-linux-x64/-/claude-code-linux-x64-$CLAUDE_VERSION.tgz" ||
            die "download of the Claude Code CLI failed"
        sha512sum -c --status <<<"$CLAUDE_TGZ_SHA512  $tgz.part" ||
            die "sha512 of the Claude Code tarball does not match the pinned value"
        mv "$tgz.part" "$tgz"
    fi
    echo "$tgz"
}

build_tarballs() {
    local out=$1 work rootfs meta claude_tgz
    # Only one builder runs (flock), so anything left here is from a killed run.
    release_tree "$BUILD_ROOT"
    mkdir -p "$BUILD_ROOT"
    work=$(mktemp -d "$BUILD_ROOT/$BUILD_KEY.XXXXXX")
    # shellcheck disable=SC2064  # expand $work now: it is local
    trap "release_tree '$work'" EXIT
    rootfs=$work/rootfs
    meta=$work/meta

    # Fetch first: a failing download should not cost a minute of debootstrap.
    claude_tgz=$(fetch_claude)

    log "debootstrap $SUITE from $(mirror)"
    mkdir -p "$CACHE/debs"
    # --cache-dir keeps the .debs, so a recipe change re-downloads nothing.
    debootstrap --variant=minbase --include="$PACKAGES" --cache-dir="$CACHE/debs" \
        "$SUITE" "$rootfs" "$(mirror)" >"$work/debootstrap.log" 2>&1 ||
        { tail -n 30 "$work/debootstrap.log" >&2; die "debootstrap failed"; }

    log "configuring rootfs"
    # The native binary is self-contained (links only glibc), so node is not
    # needed: the npm wrapper package only copies this file into place.
    tar -xzf "$claude_tgz" -C "$work" package/claude
    install -m 0755 "$work/package/claude" "$rootfs/usr/local/bin/claude"
    rm -rf "$work/package"

    chroot "$rootfs" groupadd --gid 1000 ubuntu
    chroot "$rootfs" useradd --uid 1000 --gid 1000 --create-home --home-dir /home/ubuntu \
        --shell /bin/bash ubuntu
    # Sandbox user may administer its own container (as on stock Ubuntu images).
    echo 'ubuntu ALL=(ALL) NOPASSWD:ALL' >"$rootfs/etc/sudoers.d/90-ubuntu"
    chmod 0440 "$rootfs/etc/sudoers.d/90-ubuntu"
    install -d -o 1000 -g 1000 -m 0755 "$rootfs/home/ubuntu/project" "$rootfs/home/ubuntu/.config"
    install -d -o 1000 -g 1000 -m 0700 "$rootfs/home/ubuntu/.config/dilxc"
    # Without this the CLI starts its first-run onboarding instead of working.
    printf '{\n  "hasCompletedOnboarding": true,\n  "autoUpdates": false\n}\n' >"$rootfs/home/ubuntu/.claude.json"
    chown 1000:1000 "$rootfs/home/ubuntu/.claude.json"
    chmod 0600 "$rootfs/home/ubuntu/.claude.json"

    # The image is pinned; a sandbox has no network and must not try to update.
    # /etc/environment covers login shells; lxc exec bypasses PAM, so the
    # managed settings (read by the CLI itself, highest precedence) carry it too.
    cat >"$rootfs/etc/environment" <<'EOF'
PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
LANG=C.UTF-8
DISABLE_AUTOUPDATER=1
EOF
    echo 'LANG=C.UTF-8' >"$rootfs/etc/default/locale"
    mkdir -p "$rootfs/etc/claude-code"
    printf '{\n  "env": {\n    "DISABLE_AUTOUPDATER": "1"\n  }\n}\n' >"$rootfs/etc/claude-code/managed-settings.json"

    # No NIC in the sandbox: units that wait for or manage networking, and
    # timers doing maintenance a throw-away container never needs, only slow
    # the boot down or leave it "degraded".
    local unit
    for unit in systemd-networkd-wait-online.service systemd-networkd.service \
        systemd-networkd.socket apt-daily.timer apt-daily-upgrade.timer \
        e2scrub_all.timer e2scrub_reap.service fstrim.timer dpkg-db-backup.timer \
        systemd-journald-audit.socket sys-kernel-config.mount sys-kernel-debug.mount \
        sys-kernel-tracing.mount sys-fs-fuse-connections.mount; do
        ln -sf /dev/null "$rootfs/etc/systemd/system/$unit"
    done

    # Regenerated per container on first boot; a shared id confuses journald.
    : >"$rootfs/etc/machine-id"
    rm -f "$rootfs/var/lib/dbus/machine-id"
    # The build host's resolver is meaningless without a NIC.
    : >"$rootfs/etc/resolv.conf"
    rm -f "$rootfs/etc/hostname"

    # Size: apt caches, lists and docs are dead weight in a sandbox.
    chroot "$rootfs" apt-get clean
    rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin \
        "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/lintian/* \
        "$rootfs"/var/log/*.log "$rootfs"/var/log/apt/* "$rootfs"/tmp/*
    find "$rootfs/usr/share/doc" -mindepth 1 ! -name copyright ! -type d -delete
    find "$rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name 'locale.alias' -exec rm -rf {} +
    cat >"$rootfs/etc/dpkg/dpkg.cfg.d/01-dilxc-nodoc" <<'EOF'
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
EOF

    # LXD fills these per container, so every sandbox gets its own name.
    mkdir -p "$meta/templates"
    echo '{{ container.name }}' >"$meta/templates/hostname.tpl"
    cat >"$meta/templates/hosts.tpl" <<'EOF'
127.0.0.1   localhost
127.0.1.1   {{ container.name }}
::1         localhost ip6-localhost ip6-loopback
EOF
    cat >"$meta/metadata.yaml" <<EOF
architecture: x86_64
creation_date: $(date +%s)
properties:
  os: debian
  release: $SUITE
  architecture: x86_64
  description: dilxc sandbox base (Debian $SUITE, Claude Code $CLAUDE_VERSION)
  dilxc.build_key: $BUILD_KEY
  dilxc.claude_version: "$CLAUDE_VERSION"
templates:
  /etc/hostname:
    when: [create, copy, rename]
    template: hostname.tpl
  /etc/hosts:
    when: [create, copy, rename]
    template: hosts.tpl
EOF

    log "packing ($(du -sh "$rootfs" | cut -f1) rootfs)"
    mkdir -p "$out"
    tar -C "$meta" -czf "$out/metadata.tar.gz.part" metadata.yaml templates
    # /dev, /proc, /sys are provided by LXD at start; device nodes made by
    # debootstrap would only get in the way of an unprivileged unpack.
    tar -C "$rootfs" --numeric-owner --xattrs --xattrs-include='*' -I pigz \
        --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' \
        -cf "$out/rootfs.tar.gz.part" .
    # Renamed last, so a killed run never leaves a cache entry that looks complete.
    mv "$out/metadata.tar.gz.part" "$out/metadata.tar.gz"
    mv "$out/rootfs.tar.gz.part" "$out/rootfs.tar.gz"

    release_tree "$work"
    trap - EXIT
}

import_tarballs() {
    local dir=$1 fp old_fp
    # LXD's fingerprint of a split image is sha256(metadata || rootfs).
    fp=$(cat "$dir/metadata.tar.gz" "$dir/rootfs.tar.gz" | sha256sum | cut -c1-64)
    old_fp=$(lxc query "/1.0/images/aliases/$ALIAS" 2>/dev/null |
        sed -n 's/^[[:space:]]*"target": "\([0-9a-f]*\)".*/\1/p' || true)

    if lxc query "/1.0/images/$fp" >/dev/null 2>&1; then
        log "image $fp already in LXD, only re-pointing the alias"
    else
        log "importing into LXD"
        lxc image import "$dir/metadata.tar.gz" "$dir/rootfs.tar.gz" >/dev/null ||
            die "lxc image import failed"
    fi
    if [[ -n $old_fp ]]; then
        lxc image alias delete "$ALIAS" || die "could not delete old alias '$ALIAS'"
    fi
    lxc image alias create "$ALIAS" "$fp" || die "could not create alias '$ALIAS'"
    # The property is what the fast path trusts; set it explicitly so it does not
    # depend on how LXD maps metadata.yaml into image properties.
    lxc image set-property "$ALIAS" dilxc.build_key "$BUILD_KEY"

    # Containers made from the old image keep their own copy, so it can go unless
    # something else still names it.
    if [[ -n $old_fp && $old_fp != "$fp" &&
        -z $(lxc image list "$old_fp" --format csv -c l 2>/dev/null) ]]; then
        log "deleting superseded image ${old_fp:0:12}"
        lxc image delete "$old_fp" || log "WARNING: could not delete old image $old_fp"
    fi
}

prune_cache() {
    # Each entry is a few hundred MB; keep the newest few for branch switching.
    local old
    while read -r old; do
        [[ -n $old && $old != "$KEY_DIR" ]] || continue
        log "pruning cached image $(basename "$old")"
        rm -rf "$old"
    done < <(find "$CACHE/images" -mindepth 1 -maxdepth 1 -type d -printf '%T@ %p\n' |
        sort -rn | tail -n +$((KEEP_CACHED_KEYS + 1)) | cut -d' ' -f2-)
}

if [[ ${DILXC_FORCE_BUILD:-0} != 1 && -f $KEY_DIR/metadata.tar.gz && -f $KEY_DIR/rootfs.tar.gz ]]; then
    log "using cached tarballs in $KEY_DIR"
else
    log "building image for key ${BUILD_KEY:0:12} (no cached tarballs)"
    build_tarballs "$KEY_DIR"
fi
touch "$KEY_DIR"
import_tarballs "$KEY_DIR"
prune_cache
log "image '$ALIAS' ready (key ${BUILD_KEY:0:12}, claude $CLAUDE_VERSION)"
