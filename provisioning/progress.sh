# shellcheck shell=bash
# A live progress line for long steps of the image build, sourced by provisioning/image/build-image.sh.
#
#   progress_run STEP TOTAL LABEL LOG CMD...   runs CMD with its output to LOG
#
# On a terminal (stderr is a tty, TERM is not dumb, NO_COLOR/DILXC_PLAIN_PROGRESS do not matter for
# the bar but DILXC_PLAIN_PROGRESS=1 turns it off) one line is redrawn twice a second:
#   [2/5] ######------------ provisioning    1m12s  Setting up docker.io (20.10.24+dfsg1-1+deb12u1) ...
# and cleared when CMD ends; elsewhere (CI logs, pipes) nothing is drawn, so logs keep plain lines.
# Returns CMD's exit code.

progress_on_terminal() {
    [[ -t 2 && ${TERM:-dumb} != dumb && -z ${DILXC_PLAIN_PROGRESS:-} ]]
}

progress_bar() {
    local step=$1 total=$2 width=16 filled
    filled=$(( (step - 1) * width / total ))
    printf '%s%s' "$(printf '%*s' "$filled" '' | tr ' ' '#')" "$(printf '%*s' "$((width - filled))" '' | tr ' ' '-')"
}

progress_run() {
    local step=$1 total=$2 label=$3 log=$4 pid rc=0 started=$SECONDS cols last elapsed
    shift 4
    if ! progress_on_terminal; then
        "$@" >"$log" 2>&1 || rc=$?
        return "$rc"
    fi
    "$@" >"$log" 2>&1 &
    pid=$!
    cols=$(tput cols 2>/dev/null || echo 80)
    while kill -0 "$pid" 2>/dev/null; do
        elapsed=$((SECONDS - started))
        last=$(tail -n 1 "$log" 2>/dev/null | tr -d '\r\033' | cut -c1-200)
        printf '\r\033[K%s' "$(printf '[%d/%d] %s %-14s %3dm%02ds  %s' "$step" "$total" \
            "$(progress_bar "$step" "$total")" "$label" $((elapsed / 60)) $((elapsed % 60)) "$last" |
            cut -c1-$((cols - 1)))" >&2
        sleep 0.5
    done
    wait "$pid" || rc=$?
    printf '\r\033[K' >&2
    return "$rc"
}
