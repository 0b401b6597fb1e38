#!/usr/bin/env bash
# Builds the golden sandbox image (Debian bookworm + systemd, provisioned by
# provisioning/provision-container.sh: Docker, Node.js, the real Claude Code CLI,
# dev tools, fish, user "ubuntu" 1000:1000 and its shell environment) and
# imports it into the local LXD (or Incus, with DILXC_LXD_CLIENT=incus) as
# $DILXC_IMAGE. Both import the same cached tarballs.
#
# No image server is reachable from the test machines, so the image is made
# here from Debian's apt mirror and the npm registry: debootstrap, then the
# provision script in a chroot (--image-build: no service is started). Speeds:
#   1. LXD already has the alias and its dilxc.build_key property matches -> ~0.1 s
#   2. /var/cache/dilxc/images/<key>/ holds the tarballs -> import only
#   3. otherwise provision (after debootstrap, itself cached as a tarball) + pack + import
# The key covers every file in this directory, the provision script and the CLI
# version, so editing the recipe rebuilds and an unchanged recipe never does.
#
# Env:
#   DILXC_IMAGE         image alias (default dilxc-golden)
#   DILXC_LXD_CLIENT    lxc (LXD, the default) or incus (Incus): where the image goes
#   DILXC_MIRROR        Debian mirror (default: the host's apt sources, else deb.debian.org)
#   DILXC_NPM_REGISTRY  npm registry (default $npm_config_registry or registry.npmjs.org)
#   DILXC_CACHE         cache directory (default /var/cache/dilxc)
#   DILXC_FORCE_BUILD=1 ignore all caches (image, tarballs, debootstrap)
set -euo pipefail
# Failures inside $(...) must abort too.
shopt -s inherit_errexit

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export LC_ALL=C.UTF-8

ALIAS=${DILXC_IMAGE:-dilxc-golden}
CLIENT=${DILXC_LXD_CLIENT:-lxc}
case $CLIENT in
    lxc) SERVER=LXD SETUP=setup-lxd.sh ;;
    incus) SERVER=Incus SETUP=setup-incus.sh ;;
    *) printf 'build-image: ERROR: DILXC_LXD_CLIENT=%s: use lxc (LXD) or incus (Incus)\n' "$CLIENT" >&2; exit 1 ;;
esac
SUITE=bookworm
# The version the tests' stream-json facts were taken with. npm checks the
# download against the registry's integrity hash of exactly this version.
CLAUDE_VERSION=2.1.332
# What a booting system and the provision script's first steps (curl probes)
# need; the provision script installs everything else.
BOOTSTRAP_PACKAGES=systemd-sysv,dbus,procps,ca-certificates,curl,bash,coreutils,less,sudo

CACHE=${DILXC_CACHE:-/var/cache/dilxc}
BUILD_ROOT=$CACHE/build
KEEP_CACHED_KEYS=3
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PROVISION=$(cd "$HERE/.." && pwd)/provision-container.sh
START=$SECONDS

log() { printf 'build-image: [%3ds] %s\n' "$((SECONDS - START))" "$*" >&2; }
# shellcheck source=provisioning/progress.sh
. "$(dirname "$HERE")/progress.sh"
STEPS=5
die() { printf 'build-image: ERROR: %s\n' "$*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || die "must run as root"
[[ -f $PROVISION ]] || die "$PROVISION is missing"
for c in "$CLIENT" debootstrap curl pigz sha256sum flock chroot mount; do
    command -v "$c" >/dev/null || die "'$c' missing; run provisioning/host/$SETUP first"
done
timeout 10 "$CLIENT" query /1.0 >/dev/null 2>&1 || die "$SERVER is not reachable; run provisioning/host/$SETUP first"

# Content hash of the recipe (all files here, in a fixed order), the provision
# script and the CLI version.
BUILD_KEY=$(
    cd "$HERE"
    find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum
    echo "provision-container.sh $(sha256sum <"$PROVISION")"
    echo "claude-code=$CLAUDE_VERSION"
)
BUILD_KEY=$(sha256sum <<<"$BUILD_KEY" | cut -c1-64)
KEY_DIR=$CACHE/images/$BUILD_KEY

image_is_current() {
    [[ ${DILXC_FORCE_BUILD:-0} != 1 ]] &&
        [[ $("$CLIENT" image get-property "$ALIAS" dilxc.build_key 2>/dev/null) == "$BUILD_KEY" ]]
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

npm_registry() {
    echo "${DILXC_NPM_REGISTRY:-${npm_config_registry:-${NPM_CONFIG_REGISTRY:-https://registry.npmjs.org}}}"
}

release_mounts() {
    local dir=$1 m
    while read -r m; do
        umount -l "$m" 2>/dev/null || true
    done < <(awk -v d="$dir" 'index($2, d "/") == 1 || $2 == d { print $2 }' /proc/self/mounts | sort -r)
}

# debootstrap's result depends only on suite, package list and mirror: kept as a
# tarball, so a changed provision script costs no second debootstrap.
bootstrap_rootfs() {
    local rootfs=$1 work=$2 key tarball
    key=$(printf '%s\n' "$SUITE" "$BOOTSTRAP_PACKAGES" "$(mirror)" | sha256sum | cut -c1-16)
    tarball=$CACHE/bootstrap/$SUITE-$key.tar
    mkdir -p "$CACHE/bootstrap" "$CACHE/debs" "$rootfs"
    if [[ ${DILXC_FORCE_BUILD:-0} != 1 && -f $tarball ]]; then
        log "[1/$STEPS] unpacking cached debootstrap ($(basename "$tarball"))"
        tar -C "$rootfs" --numeric-owner -xf "$tarball"
        return
    fi
    log "[1/$STEPS] debootstrap $SUITE from $(mirror)"
    # --cache-dir keeps the .debs, so even a new package list re-downloads little.
    progress_run 1 "$STEPS" debootstrap "$work/debootstrap.log" \
        debootstrap --variant=minbase --include="$BOOTSTRAP_PACKAGES" --cache-dir="$CACHE/debs" \
        "$SUITE" "$rootfs" "$(mirror)" ||
        { tail -n 30 "$work/debootstrap.log" >&2; die "debootstrap failed"; }
    release_mounts "$rootfs"
    tar -C "$rootfs" --numeric-owner -cf "$tarball.part" . && mv "$tarball.part" "$tarball"
    # Older keys (a changed package list or mirror) are dead weight.
    find "$CACHE/bootstrap" -maxdepth 1 -name "$SUITE-*.tar*" ! -name "$(basename "$tarball")" -delete
}

# The chroot gets the host's resolver, /proc, /sys, /dev and the host's apt and
# npm caches, so a rebuild downloads nothing it already has. Fresh proc/sysfs
# mounts and a non-recursive /dev bind: unmounting them can never propagate to
# the host's own /dev/pts or /sys/fs/cgroup, as an rbind's submounts could.
provision_in_chroot() {
    local rootfs=$1 work=$2 rc=0
    mkdir -p "$CACHE/npm" "$rootfs/var/cache/dilxc-npm"
    mount -t proc proc "$rootfs/proc"
    mount -t sysfs sysfs "$rootfs/sys"
    mount --bind /dev "$rootfs/dev"
    mount --bind "$CACHE/debs" "$rootfs/var/cache/apt/archives"
    mount --bind "$CACHE/npm" "$rootfs/var/cache/dilxc-npm"
    cp -L /etc/resolv.conf "$rootfs/etc/resolv.conf"
    # What the host trusts (e.g. a TLS-inspecting proxy's CA in its bundle), for
    # npm and curl during the build only; the image keeps Debian's own bundle.
    cp -L /etc/ssl/certs/ca-certificates.crt "$rootfs/root/build-ca.crt"
    # Docs and man pages are dead weight in a sandbox: never unpacked.
    printf '%s\n' 'path-exclude=/usr/share/man/*' 'path-exclude=/usr/share/info/*' \
        'path-exclude=/usr/share/doc/*' 'path-include=/usr/share/doc/*/copyright' \
        >"$rootfs/etc/dpkg/dpkg.cfg.d/01-dilxc-nodoc"
    install -m 0755 "$PROVISION" "$rootfs/root/provision-container.sh"
    log "[2/$STEPS] provisioning in chroot (full log: $CACHE/provision.log)"
    progress_run 2 "$STEPS" provisioning "$CACHE/provision.log" chroot "$rootfs" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        HOME=/root LANG=C.UTF-8 CLAUDE_CODE_VERSION="$CLAUDE_VERSION" \
        npm_config_cache=/var/cache/dilxc-npm npm_config_registry="$(npm_registry)" \
        npm_config_update_notifier=false npm_config_cafile=/root/build-ca.crt \
        NODE_EXTRA_CA_CERTS=/root/build-ca.crt CURL_CA_BUNDLE=/root/build-ca.crt \
        /root/provision-container.sh --image-build || rc=$?
    # Section headers and notes are the progress worth seeing here.
    grep -E '^(--- |  NOTE:|  .* ✓$)' "$CACHE/provision.log" | sed 's/^/    /' >&2 || true
    if ((rc != 0)); then
        tail -n 40 "$CACHE/provision.log" >&2
        release_mounts "$rootfs"
        die "provision-container.sh --image-build failed (exit $rc); see $CACHE/provision.log"
    fi
    sed -n '/=== Container Provisioning Complete ===/,$p' "$CACHE/provision.log" | sed 's/^/    /' >&2
    release_mounts "$rootfs"
    rm -f "$rootfs/root/provision-container.sh" "$rootfs/root/build-ca.crt"
}

build_tarballs() {
    local out=$1 work rootfs meta
    # Only one builder runs (flock), so anything left here is from a killed run.
    release_tree "$BUILD_ROOT"
    mkdir -p "$BUILD_ROOT"
    work=$(mktemp -d "$BUILD_ROOT/$BUILD_KEY.XXXXXX")
    # shellcheck disable=SC2064  # expand $work now: it is local
    trap "release_tree '$work'" EXIT
    rootfs=$work/rootfs
    meta=$work/meta

    bootstrap_rootfs "$rootfs" "$work"
    provision_in_chroot "$rootfs" "$work"

    log "[3/$STEPS] configuring rootfs"
    # npm may install optional CLI packages for other libcs (~230 MB each); only
    # the glibc x64 one runs here.
    find "$rootfs/usr/local/lib/node_modules" -depth -type d -name 'claude-code-linux-*-musl' \
        -exec rm -rf {} + 2>/dev/null || true
    # provision-container.sh made the user, ~/project and the onboarding-complete
    # ~/.claude.json; check, since a sandbox without them cannot run a job.
    [[ -d $rootfs/home/ubuntu/project && -f $rootfs/home/ubuntu/.claude.json ]] ||
        die "provisioned rootfs lacks /home/ubuntu/project or /home/ubuntu/.claude.json"

    # The image is pinned; a sandbox has no network and must not try to update
    # (provision-container.sh put DISABLE_AUTOUPDATER and BASH_ENV there, and
    # the CLI's managed settings in /etc/claude-code).
    local line
    for line in 'PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"' LANG=C.UTF-8; do
        grep -q "^${line%%=*}=" "$rootfs/etc/environment" || echo "$line" >>"$rootfs/etc/environment"
    done
    echo 'LANG=C.UTF-8' >"$rootfs/etc/default/locale"

    # No NIC in the sandbox: units that wait for or manage networking, and
    # timers doing maintenance a throw-away container never needs, only slow
    # the boot down or leave it "degraded" (binfmt_misc cannot be set up in an
    # unprivileged container).
    local unit
    for unit in systemd-networkd-wait-online.service systemd-networkd.service \
        systemd-networkd.socket apt-daily.timer apt-daily-upgrade.timer \
        e2scrub_all.timer e2scrub_reap.service fstrim.timer dpkg-db-backup.timer \
        systemd-journald-audit.socket sys-kernel-config.mount sys-kernel-debug.mount \
        sys-kernel-tracing.mount sys-fs-fuse-connections.mount \
        systemd-binfmt.service proc-sys-fs-binfmt_misc.automount proc-sys-fs-binfmt_misc.mount; do
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
        "$rootfs"/var/log/*.log "$rootfs"/var/log/apt/* "$rootfs"/tmp/* \
        "$rootfs"/var/cache/dilxc-npm "$rootfs"/root/.npm
    find "$rootfs/usr/share/doc" -mindepth 1 ! -name copyright ! -type d -delete
    find "$rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name 'locale.alias' -exec rm -rf {} +
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
  description: dilxc golden sandbox (Debian $SUITE, Docker, Node.js, Claude Code $CLAUDE_VERSION)
  dilxc.build_key: $BUILD_KEY
  dilxc.claude_version: "$CLAUDE_VERSION"
  dilxc.provisioned: "$(cat "$rootfs/etc/dilxc/provisioned")"
templates:
  /etc/hostname:
    when: [create, copy, rename]
    template: hostname.tpl
  /etc/hosts:
    when: [create, copy, rename]
    template: hosts.tpl
EOF

    log "[4/$STEPS] packing ($(du -sh "$rootfs" | cut -f1) rootfs)"
    mkdir -p "$out"
    tar -C "$meta" -czf "$out/metadata.tar.gz.part" metadata.yaml templates
    # /dev, /proc, /sys are provided by LXD at start; device nodes made by
    # debootstrap would only get in the way of an unprivileged unpack.
    progress_run 4 "$STEPS" packing "$work/pack.log" \
        tar -C "$rootfs" --numeric-owner --xattrs --xattrs-include='*' -I pigz \
        --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' \
        -cvf "$out/rootfs.tar.gz.part" . || { tail -n 20 "$work/pack.log" >&2; die "packing the rootfs failed"; }
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
    old_fp=$("$CLIENT" query "/1.0/images/aliases/$ALIAS" 2>/dev/null |
        sed -n 's/^[[:space:]]*"target": "\([0-9a-f]*\)".*/\1/p' || true)

    if "$CLIENT" query "/1.0/images/$fp" >/dev/null 2>&1; then
        log "[5/$STEPS] image $fp already in $SERVER, only re-pointing the alias"
    else
        log "[5/$STEPS] importing into $SERVER"
        progress_run 5 "$STEPS" importing "$CACHE/import.log" \
            "$CLIENT" image import "$dir/metadata.tar.gz" "$dir/rootfs.tar.gz" ||
            die "$CLIENT image import failed"
    fi
    if [[ -n $old_fp ]]; then
        "$CLIENT" image alias delete "$ALIAS" || die "could not delete old alias '$ALIAS'"
    fi
    "$CLIENT" image alias create "$ALIAS" "$fp" || die "could not create alias '$ALIAS'"
    # The property is what the fast path trusts; set it explicitly so it does not
    # depend on how LXD maps metadata.yaml into image properties.
    "$CLIENT" image set-property "$ALIAS" dilxc.build_key "$BUILD_KEY"

    # Containers made from the old image keep their own copy, so it can go unless
    # something else still names it.
    if [[ -n $old_fp && $old_fp != "$fp" &&
        -z $("$CLIENT" image list "$old_fp" --format csv -c l 2>/dev/null) ]]; then
        log "deleting superseded image ${old_fp:0:12}"
        "$CLIENT" image delete "$old_fp" || log "WARNING: could not delete old image $old_fp"
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
