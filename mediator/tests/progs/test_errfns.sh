#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# err/errx/verr/verrx, warn/warnx/vwarn/vwarnx, error/error_at_line and the program name
# variables in a TA: for every mode of errfns.c the combined stdout+stderr (program name
# replaced by PROG, mediator log lines dropped) and the exit status of the local and TA
# runs must equal the native run's. Before the fix a TA calling err() panicked (exit 134)
# and lost the message, and warn() printed nothing; a failed assert() lost its message.
#
# usage: test_errfns.sh --native BIN [--tzm-run PATH [--local PROG] [--ta UUID]]
set -euo pipefail

native="" tzm_run="" local="" uuid=""
while [ $# -gt 0 ]; do
    case "$1" in
    --native) native=$2; shift 2 ;;
    --tzm-run) tzm_run=$2; shift 2 ;;
    --local) local=$2; shift 2 ;;
    --ta) uuid=$2; shift 2 ;;
    *) echo "test_errfns: unknown argument $1" >&2; exit 2 ;;
    esac
done
[ -n "$native" ] || { echo "usage: test_errfns.sh --native BIN [...]" >&2; exit 2; }
scratch=${TZM_TEST_TMPDIR:-}
if [ -z "$scratch" ]; then
    scratch=$(mktemp -d "${TMPDIR:-/tmp}/tzm-errfns.XXXXXX")
    trap 'rm -rf "$scratch"' EXIT
fi
. "$(dirname "$0")/../../../cmake/tzm-exec.sh"

# literal TEXT: TEXT as a sed pattern matching itself
literal() { printf '%s' "$1" | sed 's/[][\.*^$|/]/\\&/g'; }

# run NAME ARGV0 CMD...: combined output normalised into NAME.out, status into NAME.rc
run() {
    local name=$1 argv0=$2 base
    shift 2
    base=${argv0##*/}
    set +e
    tzm_exec "$@" >"$scratch/$name.raw" 2>&1
    echo $? >"$scratch/$name.rc"
    set -e
    # (tzm-teed's own start-up warning, printed in the qemu-user run on the stderr of the
    # client that starts it, is not the program's output either, nor the shell's or
    # qemu-user's report of a program killed by SIGABRT)
    grep -v -e '^tzm: ' -e '^tzm-run: ' -e '^tzm-teed: WARNING: ' \
        -e 'tzm-exec\.sh: line [0-9]*: *[0-9]* Aborted' \
        -e '^qemu: uncaught target signal [0-9]* ' "$scratch/$name.raw" |
        sed -e "s/$(literal "$argv0")/PROG/g" -e "s/$(literal "$base")/PROG/g" \
            >"$scratch/$name.out" || true
}

modes="names warn warnx vwarn err errx verr verrx error error_at_line progname assert"
fail=0
for mode in $modes; do
    run "native-$mode" "$native" "$native" "$mode"
    for side in local ta; do
        case $side in
        local) [ -n "$local" ] || continue
               run "$side-$mode" "$local" "$tzm_run" --local "$local" -- "$mode" ;;
        ta)    [ -n "$uuid" ] || continue
               run "$side-$mode" "$uuid" "$tzm_run" "$uuid" -- "$mode" ;;
        esac
        if ! cmp -s "$scratch/native-$mode.rc" "$scratch/$side-$mode.rc" ||
           ! cmp -s "$scratch/native-$mode.out" "$scratch/$side-$mode.out"; then
            echo "test_errfns: $mode: $side differs from native" \
                 "(status $(cat "$scratch/native-$mode.rc") vs $(cat "$scratch/$side-$mode.rc"))" >&2
            diff -u "$scratch/native-$mode.out" "$scratch/$side-$mode.out" >&2 || true
            echo "---- $side raw output ----" >&2
            cat "$scratch/$side-$mode.raw" >&2
            fail=1
        else
            echo "test_errfns: $mode: $side = native (status $(cat "$scratch/$side-$mode.rc"))"
        fi
    done
done
exit $fail
