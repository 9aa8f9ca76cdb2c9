#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# wasm_native_limits: a module cannot crash its TA through the native resources wasm2c's
# code uses behind its back; each attempt is a trap or a fatal error with a message, and
# tzm run reports a panicked TA (134), never a TA host that died of SIGSEGV.
#  - deep: a recursive function keeping 400 i64 values live across its call has a
#    native frame of kilobytes; 450 levels (under wasm2c's 500) exceed the TA's stack.
#  - table: a declared table of 4e9 entries (~96 GB) that the TA heap cannot hold: the
#    module is refused when it is instantiated, before _start.
#   test_native_limits.sh <tzm-wasm> <kit> <tzm-run>
set -u
tool=$1 kit=$2 run=$3
. "$(dirname "$0")/lib.sh"
need_wat2wasm

# Prints "<name>: start" through fd_write, then runs the body of _start given as $2.
module() { # <name> <extra module fields> <_start body>
	cat <<WAT
(module
 (import "wasi_snapshot_preview1" "fd_write" (func \$fd_write (param i32 i32 i32 i32) (result i32)))
 (memory (export "memory") 2)
 (data (i32.const 16) "$1: start\n")
 $2
 (func (export "_start")
  (i32.store (i32.const 0) (i32.const 16)) (i32.store (i32.const 4) (i32.const $((${#1} + 8))))
  (drop (call \$fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
  $3))
WAT
}

deep_fn() {
	local n=400 i
	echo '(func $f (param $n i32) (result i64)'
	for ((i = 0; i < n; i++)); do echo "(local \$l$i i64)"; done
	# loads from memory: the compiler cannot recompute them after the call
	for ((i = 0; i < n; i++)); do
		echo "(local.set \$l$i (i64.load offset=$((1024 + 8 * i)) (local.get \$n)))"
	done
	echo '(if (i32.gt_u (local.get $n) (i32.const 0)) (then (local.set $l0 (i64.add'
	echo '  (local.get $l0) (call $f (i32.sub (local.get $n) (i32.const 1)))))))'
	echo '(local.get $l0)'
	for ((i = 1; i < n; i++)); do echo "(i64.rotl (i64.const 7)) (local.get \$l$i) (i64.xor)"; done
	echo ')'
}

check() { # <name> <uuid> <expected message on stderr>
	wat_to_ta "$1" "$2"
	tzm_exec "$run" "$tmp/$2.ta" </dev/null >"$out" 2>"$err"
	local rc=$?
	[ "$rc" -eq 134 ] || fail "$1: exit status $rc, expected 134 (panicked TA)"
	[ "$1" != deep ] || grep -qx "$1: start" "$out" || fail "$1: the module did not start"
	grep -qF "$3" "$err" || fail "$1: no message '$3'"
	grep -qF "the TA panicked" "$err" || fail "$1: not reported as a panic"
	echo "ok: $1 -> $3"
}

module deep "$(deep_fn)" '(i64.store (i32.const 64) (call $f (i32.const 450)))' >"$tmp/deep.wat"
check deep 7761736d-6465-4570-8000-000000000001 \
	"tzm wasm: the module trapped: Call stack exhausted"

module table '(type $v (func)) (table 4000000000 funcref)' \
	'(call_indirect (type $v) (i32.const 3999999999))' >"$tmp/table.wat"
check table 7761736d-7461-4274-8000-000000000001 \
	"tzm wasm: cannot allocate the module's table"
echo PASS
