#!/usr/bin/env bash
# The whole test suite, from a clean clone on a fresh Debian/Ubuntu machine (as root):
# installs what the tests need (JDK 21+, Maven, LXD, btrfs-progs, debootstrap, and through provisioning/test-host.sh
# every program a test runs on the host: Chromium, fish, the OpenSSH client, shellcheck), starts LXD with a
# btrfs pool on a loop file, builds or reuses the cached sandbox image with the real Claude Code CLI,
# then runs unit and real-LXD integration tests (the cluster ones on LXD and Incus test clusters they form and
# this script removes at exit), then install.sh/uninstall.sh for real (deploy/test-install.sh:
# the no-systemd path here; deploy/test-install-systemd.sh: the systemd path and a reboot in an LXD container).
# Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
. deploy/lib.sh

[ "$(id -u)" -eq 0 ] || dilxc_die "the tests drive LXD and build images: run them as root"
# The *ClusterIntegrationTests form real LXD and Incus test clusters themselves (TestCluster runs
# provisioning/host/test-cluster.sh up: three extra daemons per back end, their loop pools and
# containers, beside the host's own). They go when the run ends, passed, failed or killed; and right
# after Maven, so the install tests do not run beside them.
TEST_CLUSTER=$PWD/provisioning/host/test-cluster.sh
remove_test_clusters() {
    "$TEST_CLUSTER" down || dilxc_log "WARNING: $TEST_CLUSTER down failed; see its output above"
}
trap remove_test_clusters EXIT
dilxc_find_jdk
dilxc_find_maven
dilxc_log "using $JAVA_HOME"
provisioning/test-host.sh
# Every shell script linted (test-host.sh installed shellcheck) before Maven starts; mvn verify lints too.
deploy/lint-scripts.sh
mvn -B -ntp verify "$@"
remove_test_clusters
# install.sh and uninstall.sh for real, in a throwaway HOME, on the jars just built.
deploy/test-install.sh
# The systemd path for real: user unit, lingering and a reboot, in a throwaway LXD container (70-100 s).
deploy/test-install-systemd.sh
