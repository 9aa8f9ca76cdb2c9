#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# wasm_start_section: a module's start function (the start section: wasm2c runs it inside
# instantiation, before _start) already has its memory: its WASI calls read and write
# there like _start's; a start function that traps ends the TA like any trap (134, named).
#   test_start_section.sh <tzm-wasm> <kit> <tzm-run>
set -u
tool=$1 kit=$2 run=$3
. "$(dirname "$0")/lib.sh"
need_wat2wasm

# $print writes the 6 bytes at 16 + 8 * k ("start\n" or "main \n") with fd_write, and
# stores fd_write's answer at 200 + 4 * k (0 when the host could use the memory).
module() { # <start body>
	cat <<WAT
(module
 (import "wasi_snapshot_preview1" "fd_write" (func \$fd_write (param i32 i32 i32 i32) (result i32)))
 (import "wasi_snapshot_preview1" "proc_exit" (func \$proc_exit (param i32)))
 (memory (export "memory") 1)
 (data (i32.const 16) "start\nmain \n")
 (func \$print (param \$k i32)
  (i32.store (i32.const 100) (i32.add (i32.const 16) (i32.mul (local.get \$k) (i32.const 6))))
  (i32.store (i32.const 104) (i32.const 6))
  (i32.store (i32.add (i32.const 200) (i32.mul (local.get \$k) (i32.const 4)))
   (call \$fd_write (i32.const 1) (i32.const 100) (i32.const 1) (i32.const 108))))
 (func \$start $1)
 (start \$start)
 (func (export "_start")
  (call \$print (i32.const 1))
  (call \$proc_exit (i32.add (i32.load (i32.const 200)) (i32.load (i32.const 204))))))
WAT
}

module '(call $print (i32.const 0))' >"$tmp/start.wat"
wat_to_ta start 7761736d-7374-4172-8000-000000000001
tzm_exec "$run" "$tmp/7761736d-7374-4172-8000-000000000001.ta" </dev/null >"$out" 2>"$err"
rc=$?
[ "$rc" -eq 0 ] || fail "start: exit status $rc (the sum of both fd_write answers), expected 0"
[ "$(cat "$out")" = "$(printf 'start\nmain ')" ] || fail "start: output"
echo "ok: the start function's fd_write used the memory"

module '(call $print (i32.const 0)) unreachable' >"$tmp/trap.wat"
wat_to_ta trap 7761736d-7374-4172-8000-000000000002
tzm_exec "$run" "$tmp/7761736d-7374-4172-8000-000000000002.ta" </dev/null >"$out" 2>"$err"
rc=$?
[ "$rc" -eq 134 ] || fail "trap: exit status $rc, expected 134 (panicked TA)"
grep -qx "start" "$out" || fail "trap: the start function's output lost"
grep -qF "tzm wasm: the module trapped: Unreachable instruction executed" "$err" ||
	fail "trap: no message naming the trap"
echo "ok: a trap in the start function"
echo PASS
