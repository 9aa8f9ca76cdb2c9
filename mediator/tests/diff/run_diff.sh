#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Differential runner: runs one test program natively and (when a TA build exists) as a
# TA through the shadow, each in its own scratch dir under $TZM_TEST_TMPDIR, and requires
#   - the expected exit status on both sides (the programs self-check, so a native run
#     alone is a real test),
#   - byte-identical stdout transcripts, and identical "stdio-err:" lines on stderr.
# The TA's policy is a template: @SCRATCH@ is replaced by the TA's scratch dir.
#
# usage: run_diff.sh --family NAME --native BIN [--status N]
#                    [--ta UUID --policy TEMPLATE --tzm-run TZM_RUN]
set -euo pipefail

family="" native="" status=0 uuid="" policy="" tzm_run=""
while [ $# -gt 0 ]; do
    case "$1" in
    --family) family=$2; shift 2 ;;
    --native) native=$2; shift 2 ;;
    --status) status=$2; shift 2 ;;
    --ta) uuid=$2; shift 2 ;;
    --policy) policy=$2; shift 2 ;;
    --tzm-run) tzm_run=$2; shift 2 ;;
    *) echo "run_diff: unknown argument $1" >&2; exit 2 ;;
    esac
done
if [ -z "$family" ] || [ -z "$native" ]; then
    echo "usage: run_diff.sh --family NAME --native BIN [--status N] [--ta UUID --policy FILE --tzm-run PATH]" >&2
    exit 2
fi

# The programs run inside their scratch dirs: make every path absolute first.
native=$(realpath "$native")
[ -z "$tzm_run" ] || tzm_run=$(realpath "$tzm_run")
[ -z "$policy" ] || policy=$(realpath "$policy")

scratch=${TZM_TEST_TMPDIR:-}
if [ -z "$scratch" ]; then
    scratch=$(mktemp -d "${TMPDIR:-/tmp}/tzm-diff.XXXXXX")
    trap 'rm -rf "$scratch"' EXIT
fi
scratch=$(cd "$scratch" && pwd -P)
export TZM_DIFF_VAR="value passed to $family"
unset TZM_DIFF_UNSET

# run SIDE CMD...: runs in $scratch/SIDE, leaves SIDE.out/.err/.rc beside it.
run() {
    local side=$1
    shift
    rm -rf "${scratch:?}/$side"
    mkdir -p "$scratch/$side"
    set +e
    (cd "$scratch/$side" && "$@") >"$scratch/$side.out" 2>"$scratch/$side.err"
    echo $? >"$scratch/$side.rc"
    set -e
}

check_status() {
    local side=$1 rc
    rc=$(cat "$scratch/$side.rc")
    if [ "$rc" != "$status" ]; then
        echo "run_diff[$family]: $side run exited $rc, expected $status" >&2
        echo "---- $side stdout (last 40 lines) ----" >&2
        tail -n 40 "$scratch/$side.out" >&2
        echo "---- $side stderr ----" >&2
        tail -n 40 "$scratch/$side.err" >&2
        exit 1
    fi
    if ! grep -q '^# end$' "$scratch/$side.out"; then
        echo "run_diff[$family]: $side transcript is incomplete" >&2
        exit 1
    fi
}

run native "$native" "$scratch/native"
check_status native
echo "run_diff[$family]: native run ok ($(grep -c '' "$scratch/native.out") transcript lines)"

if [ -z "$uuid" ]; then
    echo "run_diff[$family]: no TA build available; native run only"
    exit 0
fi

sed -e "s|@SCRATCH@|$scratch/ta|g" "$policy" >"$scratch/ta.policy"
run ta "$tzm_run" --policy "$scratch/ta.policy" "$uuid" -- "$scratch/ta"
check_status ta
if ! diff -u "$scratch/native.out" "$scratch/ta.out" >"$scratch/diff.out"; then
    echo "run_diff[$family]: transcripts differ (native vs TA):" >&2
    cat "$scratch/diff.out" >&2
    echo "---- TA stderr ----" >&2
    tail -n 40 "$scratch/ta.err" >&2
    exit 1
fi
if ! diff -u <(grep '^stdio-err:' "$scratch/native.err" || true) \
        <(grep '^stdio-err:' "$scratch/ta.err" || true) >&2; then
    echo "run_diff[$family]: stderr lines differ (native vs TA)" >&2
    exit 1
fi
echo "run_diff[$family]: native and TA transcripts identical"
