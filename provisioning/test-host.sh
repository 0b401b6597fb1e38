#!/usr/bin/env bash
# The one entry point the test suite calls before real-LXD tests: makes LXD
# usable (host/setup-lxd.sh) and Incus beside it (host/setup-incus.sh: Incus 6.0
# from bookworm-backports, its own pool and socket; the tests run the pipeline on
# both), PostgreSQL on 127.0.0.1:55432 (host/setup-postgresql.sh), the golden
# sandbox image present in each (image/build-image.sh, alias
# dilxc-golden, one build imported twice) and a static busybox available for
# the tests' tiny Docker image (no registry is reachable), and installs every
# other program the tests run on the host (below: Chromium with its
# chromedriver, fish, the OpenSSH client tools, shellcheck).
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
"$HERE/host/setup-incus.sh" || fail "host/setup-incus.sh exited $?"
# PostgreSQL (Debian's), for the tests that keep the PostgreSQL schema working: 127.0.0.1:55432.
"$HERE/host/setup-postgresql.sh" || fail "host/setup-postgresql.sh exited $?"
DILXC_IMAGE=dilxc-golden DILXC_LXD_CLIENT=incus "$HERE/image/build-image.sh" ||
    fail "image/build-image.sh (Incus) exited $?"

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

# Every program a test runs on the host that a minimal Debian with a JDK and Maven lacks, at the path
# the test runs it from (LXD's tools, lxc included, are host/setup-lxd.sh's; sh, bash, tar, script,
# chown and the like are in every Debian):
#   chromium, chromedriver  WebPageIntegrationTests: Debian's headless Chromium through its
#                           chromedriver (never a downloaded one)
#   fish                    CompletionCommandTests: the fish completion script run by fish
#   ssh-agent, ssh-keygen,  SandboxOperationsIntegrationTests: the SSH agent check with an agent
#   ssh-add                 on the host, without and with a key
#   ip                      the *ClusterIntegrationTests' clusters (host/test-cluster.sh, which checks
#                           for it; the rest it needs is setup-lxd.sh's and setup-incus.sh's)
# and the linter, shellcheck, that deploy/lint-scripts.sh runs on every shell script (deploy/test.sh,
# mvn verify).
tools=()
need() { # PACKAGE FILE...: PACKAGE is needed when one of the files is not there
    local package=$1 file
    shift
    for file in "$@"; do
        [[ -x $file ]] || { tools+=("$package"); return 0; }
    done
}
need chromium /usr/bin/chromium
need chromium-driver /usr/bin/chromedriver
need fish /usr/bin/fish
need openssh-client /usr/bin/ssh-agent /usr/bin/ssh-keygen /usr/bin/ssh-add
need iproute2 /bin/ip
need shellcheck /usr/bin/shellcheck
if ((${#tools[@]})); then
    printf 'test-host: installing %s\n' "${tools[*]}" >&2
    { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 "${tools[@]}" >/dev/null 2>&1 ||
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 "${tools[@]}" >/dev/null; }; } ||
        fail "apt-get install ${tools[*]} failed"
fi

awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "test-host: ready in %.1f s\n", b - a }' >&2
