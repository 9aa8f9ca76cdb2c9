#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# wasm_bad_modules: `tzm wasm check/build` refuses, with a message naming the problem and
# without writing a TA: a file that is not a module, truncated modules, imports we do not
# provide (each listed), an import with the wrong type, a reactor module without _start,
# and a module whose initial memory exceeds the TA's memory limit.
#   test_bad_modules.sh <tzm-wasm> <kit> <dir with wasm_hello.wasm bad_import.wasm big.wasm reactor.wasm>
set -u
tool=$1 kit=$2 dir=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out=$tmp/out
fail() { echo "FAIL: $*"; echo "--- output"; cat "$out"; exit 1; }

refused() { # <expected message (grep -F)> <tzm-wasm args...>
	local msg=$1
	shift
	"$tool" "$@" >"$out" 2>&1
	local rc=$?
	[ "$rc" -ne 0 ] || fail "'$*' succeeded"
	grep -qF -- "$msg" "$out" || fail "'$*': no message '$msg'"
	echo "ok: $* -> $(head -1 "$out")"
}

"$tool" check "$dir/wasm_hello.wasm" >"$out" 2>&1 || fail "a good module refused"

echo "this is not wasm" >"$tmp/text.wasm"
refused "not a WebAssembly module (no \\0asm magic)" check "$tmp/text.wasm"
head -c 5 "$dir/wasm_hello.wasm" >"$tmp/t5.wasm"
refused "shorter than the 8-byte header" check "$tmp/t5.wasm"
size=$(stat -c %s "$dir/wasm_hello.wasm")
for cut in 9 11 100 1000 $((size / 2)) $((size - 1)); do
	head -c "$cut" "$dir/wasm_hello.wasm" >"$tmp/cut.wasm"
	refused "not a valid WebAssembly module" check "$tmp/cut.wasm"
done
printf '\0asm\2\0\0\0' >"$tmp/v2.wasm"
refused "WebAssembly binary version 2, expected 1" check "$tmp/v2.wasm"

refused "imports what tzmediator does not provide" check "$dir/bad_import.wasm"
grep -qx "  env.not_provided (function i:i)" "$out" || fail "env.not_provided not listed"
grep -qx "  wasi_snapshot_preview1.sock_open (function iii:i)" "$out" || fail "sock_open not listed"
grep -qx "  wasi_snapshot_preview1.sched_yield with type (i:i), provided as (:i)" "$out" ||
	fail "wrong type not named"
refused "has no exported function _start" check "$dir/reactor.wasm"
refused "needs 8192 KiB of memory at start, over the TA's memory limit of 4096 KiB" \
	check --data-size 4M "$dir/big.wasm"
"$tool" check --data-size 16M "$dir/big.wasm" >"$out" 2>&1 || fail "big.wasm within 16M refused"

# build refuses the same way and writes nothing
uuid=7761736d-6261-4400-8000-000000000001
refused "imports what tzmediator does not provide" build "$dir/bad_import.wasm" \
	-o "$tmp/$uuid.ta" --kit "$kit"
[ ! -e "$tmp/$uuid.ta" ] || fail "a TA was written for a refused module"
refused "the output must be named" build "$dir/wasm_hello.wasm" -o "$tmp/x.ta" --uuid "$uuid" --kit "$kit"
refused "lower-case canonical" build "$dir/wasm_hello.wasm" -o "$tmp/${uuid^^}.ta" --kit "$kit"
echo "PASS"
