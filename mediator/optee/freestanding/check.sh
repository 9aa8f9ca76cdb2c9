#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Freestanding check of libtzm for real OP-TEE (CTest mediator_optee_freestanding): builds
# the OP-TEE build of libtzm (the sources listed in mediator/optee/sub.mk) and the echo
# server TA program (examples/echo) and freestanding/surface.c (a program using every
# call of ta/fsmeta.c, ta/diag.c, ta/mq.c, ta/proc.c) for aarch64 against only
#   - mediator/optee/include (libtzm's C library surface),
#   - freestanding/include + libutils_min.c (an OP-TEE-like libutils/libutee, ours),
#   - tee/ta_include (the GP TA API headers),
#   - the compiler's own headers (-nostdinc), and links them with -nostdlib, so that:
#  1. no glibc header or symbol is needed (a missing one is a compile or link error);
#  2. no object references libutils' console names (printf, puts, putchar, fputc, fputs,
#     fwrite, stdout, stderr, write): libtzm's stdio must bind to its own tzm_* symbols;
#  3. the linked TA has no `svc` instruction (a raw Linux system call cannot work there)
#     and does not read the generic timer (OP-TEE traps EL0 access to it by default).
#   check.sh SOURCE_DIR WORK_DIR [CC]    (CC default: aarch64-linux-gnu-gcc)
# Exit 0 pass, 1 fail, 77 skip (no aarch64 cross compiler and binutils).
set -euo pipefail

src=${1:?usage: check.sh SOURCE_DIR WORK_DIR [CC]}
work=${2:?usage: check.sh SOURCE_DIR WORK_DIR [CC]}
cc=${3:-aarch64-linux-gnu-gcc}
prefix=${cc%gcc}
for tool in "$cc" "${prefix}nm" "${prefix}objdump"; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "SKIP: $tool not found (scripts/setup-deps.sh --cross installs it)"
		exit 77
	fi
done
case $("$cc" -dumpmachine) in
aarch64-*) ;;
*) echo "SKIP: $cc does not target aarch64"; exit 77 ;;
esac

m=$src/mediator
rm -rf "$work"
mkdir -p "$work"
# The OP-TEE build's source list is the one in sub.mk (single source of truth).
srcs=$(sed -n 's/^srcs-y += //p' "$m/optee/sub.mk" | tr ' ' '\n' |
	sed -e "s|^\$(tzm-m)/|$m/|" -e "s|^libc/|$m/optee/libc/|" | grep '\.c$')
[ -n "$srcs" ] || { echo "FAIL: no sources found in $m/optee/sub.mk"; exit 1; }
# + surface.c: a program's use of every call ta/fsmeta.c, ta/diag.c, ta/mq.c, ta/proc.c add
ta_srcs="$src/examples/echo/echo_server.c $src/examples/echo/echo_addr.c $src/util/src/util.c
	$m/optee/freestanding/surface.c"

# The TA dev kit's code generation flags for 64-bit TAs; no -ffreestanding, so that the
# compiler's builtin rewrites (printf -> puts ...) happen as in a real TA build.
base=(-std=gnu11 -O2 -fpic -mstrict-align -mno-outline-atomics -fstack-protector-strong
	-Wall -Wextra -Werror -nostdinc -isystem "$("$cc" -print-file-name=include)")
flags=("${base[@]}" -I "$m/optee/include" -I "$m/optee/freestanding/include"
	-I "$src/tee/ta_include" -I "$m/include" -I "$src/attest/include" -I "$src/util/include"
	-DTZM_TA_OPTEE=1
	-DTZM_POSIX_TA=1)
objs=()
for f in $srcs $ta_srcs; do
	o=$work/$(basename "${f%.c}").o
	if ! "$cc" "${flags[@]}" -c -o "$o" "$f"; then
		echo "FAIL: $f does not compile against the OP-TEE surface alone (above)"
		exit 1
	fi
	objs+=("$o")
done
# the OP-TEE side sees only its own headers, as libutils is built
"$cc" "${base[@]}" -I "$m/optee/freestanding/include" -I "$src/tee/ta_include" \
	-c -o "$work/libutils_min.o" "$m/optee/freestanding/libutils_min.c"

fail=0
console='^(printf|puts|putchar|fputc|fputs|fwrite|stdout|stderr|write)$'
for o in "${objs[@]}"; do
	bad=$("${prefix}nm" -u "$o" | awk '{print $2}' | grep -E "$console" || true)
	if [ -n "$bad" ]; then
		echo "FAIL: $(basename "$o") references libutils' console: $bad"
		fail=1
	fi
done

if ! "$cc" -nostdlib -static -Wl,-e,tzm_check_entry -o "$work/ta.elf" "${objs[@]}" \
	"$work/libutils_min.o" -lgcc \
	2>"$work/link.log"; then
	echo "FAIL: libtzm + the echo TA do not link against the OP-TEE-like surface alone:"
	grep -E "undefined reference|multiple definition|error" "$work/link.log" | sort -u | head -20
	exit 1
fi
# (a file, not a pipe into grep -q: with pipefail objdump's SIGPIPE would hide a match)
"${prefix}objdump" -d "$work/ta.elf" >"$work/ta.dis"
if grep -qwE 'svc' "$work/ta.dis"; then
	echo "FAIL: the linked TA contains svc instructions:"
	grep -wE 'svc' "$work/ta.dis" | head -5
	fail=1
fi
timer='(cntvct_el0|cntpct_el0|cntfrq_el0)'
if grep -qE "$timer" "$work/ta.dis"; then
	echo "FAIL: the linked TA reads the generic timer (undefined instruction in an OP-TEE TA):"
	grep -E "$timer" "$work/ta.dis" | head -5
	fail=1
fi
[ "$fail" -eq 0 ] || exit 1
echo "PASS: $(echo "$srcs" | wc -w) libtzm sources + echo TA linked freestanding for aarch64" \
	"($("${prefix}nm" "$work/ta.elf" | grep -c ' T ') functions, no svc/timer, no console names)"
