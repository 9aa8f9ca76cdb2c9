#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# wasm_traps: every kind of trap ends the TA like a panicked TA (tzm run exits 134) with a
# message naming the trap; WASI calls given ranges outside the module's memory answer
# EFAULT and the TA carries on; memory.grow works up to the TA's limit. Run once per
# bounds-check mode of tzm wasm build (guard pages, explicit checks): both must trap alike.
#   test_traps.sh <tzm-run> <uuid>
set -u
run=$1 uuid=$2
. "$(dirname "$0")/lib.sh"

check_trap() { # <arg> <message>
	tzm_exec "$run" "$uuid" -- "$1" </dev/null >"$out" 2>"$err"
	local rc=$?
	[ "$rc" -eq 134 ] || fail "$1: exit status $rc, expected 134 (panicked TA)"
	grep -qx "trap test: $1" "$out" || fail "$1: output before the trap lost"
	grep -qF "tzm wasm: the module trapped: $2" "$err" || fail "$1: no message naming the trap"
	grep -qF "the TA panicked" "$err" || fail "$1: not reported as a panic"
	echo "ok: $1 -> $2"
}
check_trap div0 "Integer divide by zero"
check_trap unreachable "Unreachable instruction executed"
check_trap oob "Out-of-bounds access in linear memory"
check_trap oob_store "Out-of-bounds access in linear memory"
check_trap oob_far "Out-of-bounds access in linear memory"
check_trap oob_f64 "Out-of-bounds access in linear memory"
check_trap oob_dropped "Out-of-bounds access in linear memory"
check_trap oob_grown "Out-of-bounds access in linear memory"
check_trap stack "Call stack exhausted"
check_trap indirect "Invalid call_indirect"

tzm_exec "$run" "$uuid" -- efault </dev/null >"$out" 2>"$err"
rc=$?
[ "$rc" -eq 0 ] || fail "efault: exit status $rc"
grep -qx "efault: 0 of 12 calls did not answer EFAULT" "$out" || fail "efault answers"
tzm_exec "$run" "$uuid" -- grow </dev/null >"$out" 2>"$err"
rc=$?
[ "$rc" -eq 0 ] || fail "grow: exit status $rc"
grep -qx "grow: ok" "$out" || fail "grow"
echo "PASS"
