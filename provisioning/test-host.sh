#!/usr/bin/env bash
# The one entry point the test suite calls before real-LXD tests: makes LXD
# usable (host/setup-lxd.sh) and the sandbox image present (image/build-image.sh).
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
"$HERE/image/build-image.sh" || fail "image/build-image.sh exited $?"

awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "test-host: ready in %.1f s\n", b - a }' >&2
