# shellcheck shell=dash
# Shared helpers for dilxc's deploy scripts: finding a JDK 21+ and Maven, installing them if needed.
# Sourced, not run.

dilxc_log() { printf 'dilxc: %s\n' "$*" >&2; }
dilxc_die() { printf 'dilxc: ERROR: %s\n' "$*" >&2; exit 1; }

# Prints the major version of the java binary given, or nothing.
dilxc_java_major() {
    "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p'
}

# Sets JAVA_HOME to a JDK 21 or newer: $JAVA_HOME if it qualifies, else the newest under /usr/lib/jvm,
# else installs one from the distribution's packages.
dilxc_find_jdk() {
    local candidate major
    # POSIX sh: install-lib.sh's users source this from a login shell that may be dash.
    # JDK directories have no spaces; newest first; an unmatched pattern stays as is and
    # fails the javac test below.
    # shellcheck disable=SC2046
    for candidate in "${JAVA_HOME:-}" $(printf '%s\n' /usr/lib/jvm/*/ | sort -rV); do
        if [ -z "$candidate" ] || [ ! -x "$candidate/bin/javac" ]; then continue; fi
        major=$(dilxc_java_major "$candidate/bin/java")
        if [ -n "$major" ] && [ "$major" -ge 21 ]; then
            export JAVA_HOME="${candidate%/}"
            export PATH="$JAVA_HOME/bin:$PATH"
            return 0
        fi
    done
    [ "$(id -u)" -eq 0 ] || dilxc_die "no JDK 21+ found; install one (e.g. apt-get install openjdk-21-jdk-headless) or set JAVA_HOME"
    dilxc_log "no JDK 21+ found; installing one from the distribution's packages"
    apt-get update -qq
    local pkg
    for pkg in openjdk-25-jdk-headless openjdk-21-jdk-headless; do
        if apt-cache show "$pkg" >/dev/null 2>&1; then
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null && { unset JAVA_HOME; dilxc_find_jdk; return 0; }
        fi
    done
    dilxc_die "this distribution has no JDK 21+ package; install one by hand and set JAVA_HOME"
}

dilxc_find_maven() {
    command -v mvn >/dev/null 2>&1 && return 0
    [ "$(id -u)" -eq 0 ] || dilxc_die "Maven is missing; install it (apt-get install maven)"
    dilxc_log "installing Maven"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq maven >/dev/null; } \
        || dilxc_die "could not install Maven"
}

# For the benchmarks: builds with Maven ($2: test-compile or package, tests skipped; $3: the modules, -pl) in one
# reactor run, so dilxc-api and the daemon's test-jar resolve to what it just built without a 'mvn install',
# and prints the test classpath of module $1 (daemon or client): its test and main classes and its test-scope
# dependencies. Further arguments go to Maven.
dilxc_bench_classpath() {
    local module=$1 goal=$2 modules=$3 file
    shift 3
    file=$module/target/benchmark.classpath
    mvn -B -q -ntp -pl "$modules" -am "$goal" -DskipTests dependency:build-classpath \
        -Dmdep.includeScope=test -Dmdep.outputFile=target/benchmark.classpath "$@" >&2
    [ -s "$file" ] || dilxc_die "Maven wrote no classpath to $file"
    printf '%s\n' "$module/target/test-classes:$module/target/classes:$(cat "$file")"
}
