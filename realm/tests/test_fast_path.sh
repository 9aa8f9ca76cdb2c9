#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The realm transport's fast path (realm/README.md): with the window in the host's shared
# NS memory every POSIX call of the realm goes through the window and its futex doorbell,
# none as an RSI_HOST_CALL exit; with TZM_REALM_NO_FAST_PATH=1 (window in DRAM, reached
# only through the RMM) every call is a host-call exit. Same program, same output.
#
# usage: test_fast_path.sh TZM_REALM TZM_RUN IMAGE   (IMAGE: realm_extend-realm)
set -euo pipefail
tzm_realm=$1 tzm_run=$2 image=$3
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export TZM_RUNTIME_DIR=$scratch TZM_REALM_STATS=1
fail() {
    echo "test_fast_path: FAIL: $*" >&2
    cat "$scratch"/*.err >&2 || true
    exit 1
}
run=("$tzm_realm" run)
[ -n "${TZM_EXEC_WRAPPER:-}" ] && run=($TZM_EXEC_WRAPPER "$tzm_run" --realm)
challenge=$(printf '%0128d' 7)
for mode in fast slow; do
    if [ "$mode" = slow ]; then export TZM_REALM_NO_FAST_PATH=1; fi
    "${run[@]}" --allow-all "$image" -- "$challenge" 1:00 2:0102 >"$scratch/$mode.out" \
        2>"$scratch/$mode.err" || fail "$mode: exit status $?"
    grep '^extend ' "$scratch/$mode.out" >"$scratch/$mode.lines" || true
done
want="extend 1 1: ok
extend 2 2: ok"
[ "$(cat "$scratch/fast.lines")" = "$want" ] || fail "fast path output: $(cat "$scratch/fast.out")"
[ "$(cat "$scratch/slow.lines")" = "$want" ] || fail "host-call path output: $(cat "$scratch/slow.out")"
stats='^tzm-run: realm: \([0-9]*\) calls through the shared window, \([0-9]*\) host-call exits$'
fast_n=$(sed -n "s/$stats/\1 \2/p" "$scratch/fast.err")
slow_n=$(sed -n "s/$stats/\1 \2/p" "$scratch/slow.err")
read -r f_win f_hc <<<"$fast_n"
read -r s_win s_hc <<<"$slow_n"
[ -n "$f_win" ] && [ "$f_win" -gt 0 ] && [ "$f_hc" -eq 0 ] ||
    fail "fast path: want calls in the window and no host-call exits, got '$fast_n'"
[ -n "$s_win" ] && [ "$s_win" -eq 0 ] && [ "$s_hc" -eq "$f_win" ] ||
    fail "host-call path: want $f_win host-call exits and none in the window, got '$slow_n'"
echo "test_fast_path: passed ($f_win calls each way)"
