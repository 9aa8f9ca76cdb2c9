#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# wasm_hello: a C program compiled to wasm32-wasi and made a TA by `tzm wasm build` runs
# under `tzm run` like a C TA: arguments, --env variables, stdio both ways, clocks, TEE
# randomness, sched_yield, and its exit status.
#   test_hello.sh <tzm-run> <uuid>
set -u
run=$1 uuid=$2
. "$(dirname "$0")/lib.sh"

export WASM_HELLO=from-the-caller
echo "a line for the TA" | tzm_exec "$run" --env WASM_HELLO "$uuid" -- 7 read "two words" >"$out" 2>"$err"
rc=$?
[ "$rc" -eq 7 ] || fail "exit status $rc, expected 7"
grep -qx "hello from wasm: argc=4 \[7\] \[read\] \[two words\]" "$out" || fail "arguments"
grep -qx "env WASM_HELLO=from-the-caller" "$out" || fail "--env variable"
grep -qx "env HOME=(unset)" "$out" || fail "a variable not passed with --env is visible"
grep -qx "clocks: realtime ok, monotonic ok" "$out" || fail "clocks"
grep -qx "clock_getres: 0 1" "$out" || fail "clock_getres"
grep -qx "random: ok" "$out" || fail "random_get"
grep -qx "sched_yield: 0" "$out" || fail "sched_yield"
grep -qx "read: a line for the TA" "$out" || fail "stdin"
grep -qx "nanosleep 20 ms: 0, slept" "$out" || fail "nanosleep (poll_oneoff clock)"
grep -qx "poll stdin: 1 readable" "$out" || fail "poll (poll_oneoff fd_read)"
grep -qx "to stderr" "$err" || fail "stderr"

# A clock of the largest timeout waits forever: poll_oneoff returns for stdin, whose data
# comes 3 s later (it once returned at once reporting the clock: the timeout's rounding
# to ms wrapped to 0; under load the bug may go unseen, a pass is never wrong).
{ sleep 3; echo x; } | tzm_exec "$run" "$uuid" -- 0 pollmax >"$out" 2>"$err"
rc=$?
[ "$rc" -eq 0 ] || fail "pollmax: exit status $rc"
grep -qx "pollmax: errno 0, 1 event(s), first: stdin" "$out" || fail "pollmax: a clock of 2^64-1 ns"

tzm_exec "$run" "$uuid" -- 0 </dev/null >"$out" 2>"$err"
rc=$?
[ "$rc" -eq 0 ] || fail "exit status $rc, expected 0"
echo "PASS"
