#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Differential runner: runs one test program natively, then through the shadow over the
# local test transport (--local) and as a TA (--ta), each in its own scratch dir under
# $TZM_TEST_TMPDIR, and requires for every variant
#   - the expected exit status (the programs self-check, so a native run alone is a real
#     test),
#   - a stdout transcript byte-identical to the native one, and identical "stdio-err:"
#     lines on stderr.
# The policy is a template: @SCRATCH@ is replaced by the variant's scratch dir.
#
# With --peer, a second (native) process runs beside each variant: `PEER DIR FIFO` is
# started in the variant's scratch dir DIR before it and writes "ready" into FIFO once it
# serves; it must exit 0 after the variant, and then `PEER DIR --check locks.db` must find
# nothing of the variant's still locked (the locks family).
#
# usage: run_diff.sh --family NAME --native BIN [--status N] [--peer PEER]
#                    [--tzm-run TZM_RUN --policy TEMPLATE [--local PROG] [--ta UUID]]
set -euo pipefail

family="" native="" status=0 uuid="" policy="" tzm_run="" local="" peer=""
while [ $# -gt 0 ]; do
    case "$1" in
    --family) family=$2; shift 2 ;;
    --native) native=$2; shift 2 ;;
    --status) status=$2; shift 2 ;;
    --ta) uuid=$2; shift 2 ;;
    --local) local=$2; shift 2 ;;
    --policy) policy=$2; shift 2 ;;
    --tzm-run) tzm_run=$2; shift 2 ;;
    --peer) peer=$2; shift 2 ;;
    *) echo "run_diff: unknown argument $1" >&2; exit 2 ;;
    esac
done
if [ -z "$family" ] || [ -z "$native" ]; then
    echo "usage: run_diff.sh --family NAME --native BIN [--status N]" \
         "[--tzm-run PATH --policy FILE [--local PROG] [--ta UUID]]" >&2
    exit 2
fi

# The programs run inside their scratch dirs: make every path absolute first.
native=$(realpath "$native")
[ -z "$tzm_run" ] || tzm_run=$(realpath "$tzm_run")
[ -z "$policy" ] || policy=$(realpath "$policy")
[ -z "$local" ] || local=$(realpath "$local")
[ -z "$peer" ] || peer=$(realpath "$peer")
if { [ -n "$uuid" ] || [ -n "$local" ]; } && { [ -z "$tzm_run" ] || [ -z "$policy" ]; }; then
    echo "run_diff: --ta/--local need --tzm-run and --policy" >&2
    exit 2
fi

scratch=${TZM_TEST_TMPDIR:-}
if [ -z "$scratch" ]; then
    scratch=$(mktemp -d "${TMPDIR:-/tmp}/tzm-diff.XXXXXX")
    trap 'rm -rf "$scratch"' EXIT
fi
scratch=$(cd "$scratch" && pwd -P)
export TZM_DIFF_VAR="value passed to $family"
unset TZM_DIFF_UNSET

# Cross builds run the programs under qemu (cmake/tzm-exec.sh).
. "$(dirname "$0")/../../../cmake/tzm-exec.sh"
. "$(dirname "$0")/transcripts.sh"

# run SIDE CMD...: runs in $scratch/SIDE, leaves SIDE.out/.err/.rc beside it.
run() {
    local side=$1 peer_pid="" line="" rc=0
    shift
    rm -rf "${scratch:?}/$side"
    mkdir -p "$scratch/$side"
    if [ -n "$peer" ]; then
        rm -f "$scratch/$side.ready"
        mkfifo "$scratch/$side.ready"
        tzm_exec "$peer" "$scratch/$side" "$scratch/$side.ready" \
            >"$scratch/$side.peer.out" 2>"$scratch/$side.peer.err" &
        peer_pid=$!
        read -r line <"$scratch/$side.ready" || true
        if [ "$line" != ready ]; then
            echo "run_diff[$family]: $side: the peer did not start" >&2
            cat "$scratch/$side.peer.err" >&2
            exit 1
        fi
    fi
    set +e
    (cd "$scratch/$side" && tzm_exec "$@") >"$scratch/$side.out" 2>"$scratch/$side.err"
    rc=$?
    echo $rc >"$scratch/$side.rc"
    set -e
    if [ -n "$peer" ]; then
        # a variant that failed before it connected leaves the peer in accept()
        [ "$rc" = "$status" ] || kill "$peer_pid" 2>/dev/null || true
        if ! wait "$peer_pid" && [ "$rc" = "$status" ]; then
            echo "run_diff[$family]: $side: the peer failed" >&2
            cat "$scratch/$side.peer.err" >&2
            exit 1
        fi
        if [ "$rc" = "$status" ] && ! tzm_exec "$peer" "$scratch/$side" --check locks.db; then
            echo "run_diff[$family]: $side: its locks outlived it" >&2
            exit 1
        fi
    fi
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

# compare SIDE: the variant's transcript and stdio-err lines must equal the native ones.
compare() {
    diff_compare "run_diff[$family]" "$scratch" "$1"
    echo "run_diff[$family]: native and $1 transcripts identical"
}

# mediated SIDE TARGET...: runs the program through tzm-run with the family's policy.
mediated() {
    local side=$1
    shift
    mkdir -p "$scratch/$side"
    sed -e "s|@SCRATCH@|$scratch/$side|g" "$policy" >"$scratch/$side.policy"
    # TZM_SPLIT_MIN: libtzm splits reads and writes of 128 KiB or more into linked chunks
    # (by default only those larger than one call carries), so the families cover it
    run "$side" "$tzm_run" --policy "$scratch/$side.policy" --env TZM_DIFF_VAR \
        --env TZM_SPLIT_MIN=131072 "$@" \
        -- "$scratch/$side"
    check_status "$side"
    compare "$side"
}

if [ -n "$local" ]; then
    mediated local --local "$local"
fi
if [ -n "$uuid" ]; then
    mediated ta "$uuid"
fi
if [ -z "$local" ] && [ -z "$uuid" ]; then
    echo "run_diff[$family]: no mediated build available; native run only"
fi
