#!/usr/bin/env bash
# The one entry point the test suite calls before real-LXD tests: makes LXD
# usable (host/setup-lxd.sh), the golden sandbox image present
# (image/build-image.sh, alias dilxc-golden) and a static busybox available for
# the tests' tiny Docker image (no registry is reachable), and Chromium with
# its chromedriver for the browser test of the review pages.
# Safe to call on every run: a few hundred ms when nothing has to change.
# Progress goes to stderr; a non-zero exit means the machine is NOT ready.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
start=$(date +%s.%N)

fail() {
    printf 'test-host: FAILED: %s (machine is not ready for LXD tests)\n' "$1" >&2
    exit 1
}

"$HERE/host/setup-lxd.sh" || fail "host/setup-lxd.sh exited $?"
DILXC_IMAGE=dilxc-golden "$HERE/image/build-image.sh" || fail "image/build-image.sh exited $?"

# Taken out of Debian's busybox-static .deb rather than installed: that package
# conflicts with the busybox a host's initramfs may rely on.
BUSYBOX=/var/cache/dilxc/test/busybox
if [[ ! -x $BUSYBOX ]]; then
    tmp=$(mktemp -d)
    (cd "$tmp" && { apt-get download busybox-static >/dev/null 2>&1 ||
        { apt-get update -qq && apt-get download busybox-static >/dev/null; }; }) ||
        fail "apt-get download busybox-static failed"
    dpkg-deb -x "$tmp"/busybox-static_*.deb "$tmp/x" || fail "could not unpack busybox-static"
    install -D -m 0755 "$tmp/x/bin/busybox" "$BUSYBOX"
    rm -rf "$tmp"
fi

# The review pages' browser test drives Debian's headless Chromium through its chromedriver (never a
# downloaded one).
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null 2>&1 ||
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; }; } ||
        fail "apt-get install chromium chromium-driver failed"
fi

awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "test-host: ready in %.1f s\n", b - a }' >&2
