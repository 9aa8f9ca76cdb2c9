#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# examples_wasm_files: filetool built natively and as a Wasm TA (tzm wasm build) gives the
# same output on the same directories; the Wasm TA runs under a policy that makes IN
# read-only and OUT read-write (preopens named with TZM_WASM_PREOPEN), and writing into IN
# is refused there. IN holds enough entries that fd_readdir needs several calls.
#   test_wasm_files.sh <native filetool> <tzm-run> <uuid>
set -u
native=$1 run=$2 uuid=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
in=$tmp/in out=$tmp/out
mkdir -p "$in" "$out"
fail() { echo "FAIL: $*"; for f in "$tmp"/*.txt; do echo "--- $f"; cat "$f"; done; exit 1; }

printf 'one two three\nfour\n' >"$in/a.txt"
printf 'x\n\n  y z  \n' >"$in/b.txt"
: >"$in/empty"
mkdir "$in/adir"
for i in $(seq 1 150); do
	: >"$in/entry-with-a-rather-long-name-to-fill-readdir-buffers-$i"
done

"$native" "$in" "$out" >"$tmp/native.txt" 2>&1 || fail "native run failed"
[ -z "$(ls -A "$out")" ] || fail "native run left files in OUT"
printf 'path ro %s\npath rw %s\n' "$in" "$out" >"$tmp/policy"
"$run" --policy "$tmp/policy" --env "TZM_WASM_PREOPEN=$in:$out" "$uuid" -- "$in" "$out" \
	>"$tmp/wasm.txt" 2>"$tmp/wasm-stderr.txt" || fail "Wasm TA failed"
diff -u "$tmp/native.txt" "$tmp/wasm.txt" || fail "native and Wasm TA differ"
grep -qx "all ok" "$tmp/wasm.txt" || fail "not all ok"

"$run" --policy "$tmp/policy" --env "TZM_WASM_PREOPEN=$in:$out" "$uuid" -- "$in" "$out" deny \
	>"$tmp/deny.txt" 2>"$tmp/deny-stderr.txt" || fail "Wasm TA (deny) failed"
grep -qx "create in IN: refused" "$tmp/deny.txt" || fail "writing into IN was not refused"
grep -q "policy: denied" "$tmp/deny-stderr.txt" || fail "no policy denial logged"
echo "PASS"
