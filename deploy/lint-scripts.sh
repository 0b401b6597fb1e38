#!/usr/bin/env bash
# Lints every shell script of provisioning/ and deploy/ (and .ci/run) with shellcheck, at its default
# severity (style included), following sourced files (-x). A script is a file named *.sh or *.bash, or
# one whose first line is a sh/bash/dash/ksh shebang or a '# shellcheck shell=' directive (the sourced
# helpers, the launchers in deploy/bin). Prints the findings and exits 1 on any; exits 2 when shellcheck
# is missing. Run by deploy/test.sh and by 'mvn verify' (the root pom; -Dexec.skip=true skips it there).
set -euo pipefail
# The source= directives in the scripts name files relative to the repository's root.
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v shellcheck >/dev/null 2>&1; then
    printf 'lint-scripts: shellcheck is not installed; install it with: apt-get install shellcheck\n' >&2
    printf 'lint-scripts: (provisioning/test-host.sh, run by deploy/test.sh as root, installs it too)\n' >&2
    exit 2
fi

is_shell_script() { # FILE
    local first=
    case $1 in *.sh | *.bash) return 0 ;; esac
    IFS= read -r first <"$1" || true
    [[ $first =~ ^#!.*[/[:space:]](sh|bash|dash|ksh)([[:space:]]|$) || $first =~ ^#[[:space:]]*shellcheck[[:space:]]+shell= ]]
}

scripts=()
while IFS= read -r -d '' file; do
    if is_shell_script "$file"; then scripts+=("$file"); fi
done < <(find provisioning deploy .ci -type d \( -name target -o -name .git \) -prune -o -type f -print0 | sort -z)
((${#scripts[@]})) || { printf 'lint-scripts: no shell scripts found\n' >&2; exit 1; }

if shellcheck -x "${scripts[@]}"; then
    printf 'lint-scripts: %d scripts, no findings (%s)\n' "${#scripts[@]}" "$(shellcheck --version | sed -n 's/^version: /shellcheck /p')" >&2
else
    printf 'lint-scripts: FAILED: shellcheck has findings above (in %d scripts checked); fix them, or disable one with a reason where the code is deliberately so\n' \
        "${#scripts[@]}" >&2
    exit 1
fi
