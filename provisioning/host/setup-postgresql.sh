#!/usr/bin/env bash
# A PostgreSQL server for the tests: Debian's postgresql package (installed when missing), and a cluster of
# the test host's own in /var/lib/dilxc-test-postgres, listening on 127.0.0.1:55432 only (no Unix socket
# outside that directory), trust authentication for local TCP, started with pg_ctl (no systemd here; the
# package's own cluster is left alone). Idempotent: ~0.1 s when it answers; ~1 s to create and start.
# Tests create a database of their own in it and drop it afterwards (see docs/postgresql-notes.md).
#
# Env:
#   DILXC_TEST_PG_DIR   cluster directory (default /var/lib/dilxc-test-postgres)
#   DILXC_TEST_PG_PORT  port (default 55432)
set -euo pipefail

export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
DIR=${DILXC_TEST_PG_DIR:-/var/lib/dilxc-test-postgres}
PORT=${DILXC_TEST_PG_PORT:-55432}

log() { printf 'setup-postgresql: %s\n' "$*" >&2; }
die() { printf 'setup-postgresql: ERROR: %s\n' "$*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || die "must run as root"

answers() { pg_isready -q -h 127.0.0.1 -p "$PORT" 2>/dev/null; }

if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || ! command -v pg_isready >/dev/null; then
    log "installing postgresql"
    { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 postgresql >/dev/null 2>&1 ||
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 postgresql >/dev/null; }; } ||
        die "apt-get install postgresql failed"
fi
BIN=$(find /usr/lib/postgresql -maxdepth 3 -name pg_ctl -path '*/bin/*' | sort -V | tail -n 1)
BIN=$(dirname "$BIN")
[[ -x $BIN/initdb ]] || die "no initdb next to $BIN/pg_ctl"

if answers; then
    log "ready (127.0.0.1:$PORT, $("$BIN/postgres" --version))"
    exit 0
fi

mkdir -p "$DIR"
chown postgres:postgres "$DIR"
chmod 700 "$DIR"
if [[ ! -f $DIR/data/PG_VERSION ]]; then
    log "creating a cluster in $DIR/data"
    # initdb refuses to run as root.
    su postgres -s /bin/sh -c "'$BIN/initdb' -D '$DIR/data' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null ||
        die "initdb failed"
fi
log "starting PostgreSQL on 127.0.0.1:$PORT (log: $DIR/log)"
su postgres -s /bin/sh -c "'$BIN/pg_ctl' -D '$DIR/data' -l '$DIR/log' -w -t 60 -o \"-c listen_addresses=127.0.0.1 -p $PORT -k '$DIR'\" start" >/dev/null ||
    die "pg_ctl start failed; see $DIR/log"
answers || die "PostgreSQL does not answer on 127.0.0.1:$PORT; see $DIR/log"
log "ready (127.0.0.1:$PORT, $("$BIN/postgres" --version))"
