#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Gives every global symbol defined by a relocatable object the prefix tzmf_ (definitions
# and the object's own references alike). libtzm defines libc's names (read, write,
# printf, stdout...); renamed, it can live in a libFuzzer binary without hijacking the
# fuzzer's own I/O. usage: rename-syms.sh NM OBJCOPY IN.o OUT.o
set -eu
nm=$1
objcopy=$2
in=$3
out=$4
list=$out.syms
"$nm" -g --defined-only "$in" | awk 'NF == 3 { print $3 " tzmf_" $3 }' >"$list"
test -s "$list"
"$objcopy" --redefine-syms="$list" "$in" "$out"
