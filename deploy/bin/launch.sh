# shellcheck shell=bash
# Sourced by dilxc-client and dilxc-daemon (not run on its own): finding a Java 21+ and starting a jar
# with the JDK start-up cache that deploy/train.sh records.
#
# The caller sets, before sourcing: launcher (dilxc-client or dilxc-daemon, for messages) and var (CLIENT
# or DAEMON, for its environment variables DILXC_<var>_...), then calls launch_find_java and
# launch_exec JAR FLAGS... -- ARGS...
#
# Start-up cache: the jar extracted to plain jars plus a JDK AOT cache (JDK 25+) or AppCDS archive (JDK
# 21-24) recorded from real work, in $DILXC_<var>_CACHE_DIR (default ${XDG_CACHE_HOME:-~/.cache}/dilxc/
# client or .../daemon), one slot per absolute jar path, named by a hash of that path (the JVM expands %p
# and %t in cache file names, so the path itself cannot be the name; the cache directory must not contain
# '%' either). A slot is used only when its key (jar path, size, mtime, ctime and inode; java binary and
# version; the launcher's flags) matches; without a slot the jar runs as is, silently; with a stale one the
# jar runs as is and one line on stderr says how to retrain. DILXC_<var>_AOT=off ignores the cache.
# DILXC_<var>_TRAIN=1 (used by deploy/train.sh) runs this one start as the training run and writes the slot
# when Java exits (SIGTERM and SIGINT are passed on to it). DILXC_<var>_CACHE_CHECK=1 starts no Java: it
# exits 0 when the slot for this jar, Java and flags is current, else 1 (install.sh retrains then).
# Extra JVM options: $DILXC_<var>_JAVA_OPTS (split on blanks; not part of the key).

launch_die() {
    # shellcheck disable=SC2154 # launcher: set by the launcher that sources this file
    printf '%s: %s\n' "$launcher" "$1" >&2
    exit 70
}

# The major version of the JVM at $1 (a java executable): from its home's release file when there
# is one (no JVM start needed), else from 'java -version'.
launch_java_major() {
    local java="$1" home version
    home=$(dirname -- "$(dirname -- "$(readlink -f -- "$java")")")
    if [[ -f "$home/release" ]]; then
        version=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")
    fi
    if [[ -z "${version:-}" ]]; then
        version=$("$java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
    fi
    version="${version#1.}"
    printf '%s\n' "${version%%[!0-9]*}"
}

# Sets java: $JAVA_HOME/bin/java, else Temurin 25, else another JDK under /usr/lib/jvm, else java on PATH;
# the first of version 21 or newer.
launch_find_java() {
    local candidate major
    for candidate in "${JAVA_HOME:+$JAVA_HOME/bin/java}" /usr/lib/jvm/temurin-25-jdk-amd64/bin/java \
            /usr/lib/jvm/*/bin/java "$(command -v java 2>/dev/null || true)"; do
        [[ -n "$candidate" && -x "$candidate" ]] || continue
        major=$(launch_java_major "$candidate")
        if [[ -n "$major" && "$major" -ge 21 ]]; then
            java=$candidate
            return
        fi
    done
    launch_die "no Java 21 or newer found (tried \$JAVA_HOME, /usr/lib/jvm/*, java on PATH); install one or set JAVA_HOME"
}

# The slot of the jar at absolute path $2 in the cache directory $1: the first 16 hex digits of the
# SHA-256 of the path, '-', its last three parts for people (client-target-dilxc-client.jar) with
# every byte but [A-Za-z0-9._-] made '_' (bytes whatever the locale, so that every shell of the user
# finds the same slot), at most 80 of them. Never the path itself: the JVM expands %p and %t in
# -XX:AOTCache(Output)/SharedArchiveFile names and refuses two %t, so a jar under /tmp/... or
# /home/tom/... would get no cache. deploy/uninstall.sh removes slots by it too.
launch_cache_slot() {
    local LC_ALL=C root=$1 jar=$2 hash label parent _
    hash=$(printf '%s' "$jar" | sha256sum)
    label=${jar##*/}
    parent=${jar%/*}
    for _ in 1 2; do
        [[ "$parent" == */* ]] || break
        label=${parent##*/}-$label
        parent=${parent%/*}
    done
    label=${label//[^A-Za-z0-9._-]/_}
    printf '%s\n' "$root/${hash:0:16}-${label:0:80}"
}

# The cache directory of this launcher: $DILXC_<var>_CACHE_DIR, else ~/.cache/dilxc/<client|daemon>.
launch_cache_root() {
    # shellcheck disable=SC2154 # var: set by the launcher that sources this file
    local dir_var="DILXC_${var}_CACHE_DIR" kind=${launcher#dilxc-}
    printf '%s\n' "${!dir_var:-${XDG_CACHE_HOME:-${HOME:-/nonexistent}/.cache}/dilxc/$kind}"
}

# launch_exec JAR FLAG... -- ARG...: runs the jar with the flags (part of the cache key) and the
# arguments, through the start-up cache when it is current.
launch_exec() {
    local jar=$1 flags=() opts_var="DILXC_${var}_JAVA_OPTS" aot_var="DILXC_${var}_AOT"
    local train_var="DILXC_${var}_TRAIN" check_var="DILXC_${var}_CACHE_CHECK"
    shift
    while [[ $# -gt 0 && "$1" != -- ]]; do
        flags+=("$1")
        shift
    done
    shift
    [[ "$jar" == /* ]] || jar=$PWD/$jar
    local extra=${!opts_var:-} kind=${launcher#dilxc-} cache_root slot java_real java_home java_version=""
    cache_root=$(launch_cache_root)
    slot=$(launch_cache_slot "$cache_root" "$jar")
    java_real=$(readlink -f -- "$java")
    java_home=${java_real%/bin/java}
    if [[ -f "$java_home/release" ]]; then
        while IFS='=' read -r name value; do
            [[ "$name" == JAVA_VERSION ]] && java_version=${value//\"/}
        done <"$java_home/release"
    fi
    [[ -n "$java_version" ]] || java_version=$(launch_java_major "$java")
    # ctime and inode change on every rebuild even though the build pins the jar's mtime.
    local jar_stat key
    jar_stat=$(stat -L -c '%s:%Y:%Z:%i' -- "$jar") || true # the callers checked the jar; else Java says it is missing
    key="format=1 jar=$jar stat=$jar_stat java=$java_real version=$java_version flags=${flags[*]}"
    local cache_file use_cache record_cache extracted=$slot/app/${jar##*/}
    if [[ "${java_version%%[!0-9]*}" -ge 25 ]]; then
        cache_file=$slot/$kind.aot
        use_cache=(-XX:AOTCache="$cache_file")
        record_cache=(-XX:AOTCacheOutput="$cache_file")
    else
        cache_file=$slot/$kind.jsa
        use_cache=(-XX:SharedArchiveFile="$cache_file")
        record_cache=(-XX:ArchiveClassesAtExit="$cache_file")
    fi
    local current=false
    if [[ -f "$slot/key" && -f "$cache_file" && -f "$extracted" && "$(<"$slot/key")" == "$key" ]]; then
        current=true
    fi

    if [[ -n "${!check_var:-}" ]]; then
        $current && exit 0 || exit 1
    fi

    if [[ -n "${!train_var:-}" ]]; then
        # Training: extract the jar (class data is only shared from plain jars, not from jars nested in
        # the Boot jar), run once recording the cache, then write the key last, so an interrupted
        # training leaves no slot that looks usable.
        [[ "$cache_file" != *%* ]] \
            || launch_die "the start-up cache directory $cache_root contains '%', which Java expands in cache file names (%p, %t); set DILXC_${var}_CACHE_DIR to a directory without '%' ($launcher works without a cache, only slower)"
        # also the slot this jar had when slots were named after the path ('/' as '%')
        rm -rf -- "$slot" "${cache_root:?}/${jar//\//%}"
        mkdir -p -- "$slot"
        "$java" -Djarmode=tools -jar "$jar" extract --destination "$slot/app" >/dev/null \
            || launch_die "could not extract $jar into $slot/app"
        # In the background so that a SIGTERM (how a daemon is stopped) reaches Java and this script then
        # writes the key; stdin passed on explicitly (a background command would get /dev/null).
        local child status=0
        # shellcheck disable=SC2086 # $extra: DILXC_<var>_JAVA_OPTS, split on blanks by design
        "$java" "${flags[@]}" "${record_cache[@]}" -Xlog:aot=off:stderr -Xlog:cds=off:stderr \
            $extra -jar "$extracted" "$@" <&0 &
        child=$!
        trap 'kill -TERM "$child" 2>/dev/null' TERM INT
        while kill -0 "$child" 2>/dev/null; do
            wait "$child" || true # returns early when the trap runs
        done
        wait "$child" || status=$?
        trap - TERM INT
        [[ -s "$cache_file" ]] || launch_die "the training run wrote no cache to $cache_file"
        printf '%s\n' "$key" >"$slot/key"
        exit "$status"
    fi

    if [[ "${!aot_var:-}" != off && -f "$slot/key" ]]; then
        if $current; then
            # shellcheck disable=SC2086 # $extra: split on blanks by design
            exec "$java" "${flags[@]}" "${use_cache[@]}" $extra -jar "$extracted" "$@"
        fi
        printf '%s: the start-up cache in %s was made for another build of %s or another Java; starting without it (slower). Rebuild it with deploy/train.sh (or run deploy/install.sh again)\n' \
            "$launcher" "$slot" "$jar" >&2
    fi

    # shellcheck disable=SC2086 # $extra: split on blanks by design
    exec "$java" "${flags[@]}" $extra -jar "$jar" "$@"
}
