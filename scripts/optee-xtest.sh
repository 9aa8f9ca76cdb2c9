#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Builds OP-TEE's regression suite (OP-TEE/optee_test) UNCHANGED against an install of
# this tree and runs its cryptography, arithmetic, libteec and storage cases.
#
#   scripts/optee-xtest.sh <optee_test checkout> [<build dir>]
#
# <build dir> (default: build) is a configured and built tree; it is installed into a
# scratch prefix with `cmake --install`. The suite is copied to a scratch directory (the
# checkout is never written). Every TA directory of the suite is built with
# `make -C ta/<name> TA_DEV_KIT_DIR=<prefix>/share/tzmediator/ta_dev_kit O=...` (the
# result of each is listed; the cases run need crypt, storage and storage2), and the host
# program with `make -C host/xtest TA_DEV_KIT_DIR=<kit> OPTEE_CLIENT_EXPORT=<prefix>`.
# The suite's test supplicant plugin (host/supp_plugin, case 1033) is built too and
# installed in <prefix>/lib/tee-supplicant/plugins.
# The cases (default: 4001-4019, 4101-4117, 5006, 6001-6021; XTEST_CASES overrides, e.g.
# XTEST_CASES="4006 4007") run one `xtest -t regression <id>` each against a private TEE
# (TZM_RUNTIME_DIR/TZM_STATE_DIR in the scratch directory, stopped at the end).
# Prints one line per case (its sub-cases' results) and the totals; exits 1 if any case
# failed. Not a CTest: the suite is fetched from the network, which CI cannot do.
set -uo pipefail

[ $# -ge 1 ] && [ $# -le 2 ] || {
	echo "usage: $0 <optee_test checkout> [<build dir>]" >&2
	exit 2
}
suite=$(cd "$1" && pwd) || exit 2
build=$(cd "${2:-build}" && pwd) || exit 2
[ -f "$suite/host/xtest/xtest_main.c" ] && [ -d "$suite/ta/crypt" ] || {
	echo "$0: $suite is not an optee_test checkout" >&2
	exit 2
}
[ -f "$build/CMakeCache.txt" ] || {
	echo "$0: $build is not a configured build tree" >&2
	exit 2
}
cases=${XTEST_CASES:-"$(seq 4001 4019) $(seq 4101 4117) 5006 $(seq 6001 6010) $(seq 6012 6021)"}

# shellcheck source=scripts/optee-suite-lib.sh
. "$(dirname "$0")/optee-suite-lib.sh"
optee_suite_setup optee-xtest "$suite" "$build"
out=$scratch/out
mkdir -p "$out"

# The suite's TAs: each built on its own, the outcome listed.
echo
echo "TAs (make -C ta/<name> with the kit):"
tas_built=0
tas_all=0
for dir in "$src"/ta/*/; do
	ta=$(basename "$dir")
	[ -f "$dir/Makefile" ] || continue
	tas_all=$((tas_all + 1))
	log=$scratch/ta-$ta.log
	if make -C "$dir" TA_DEV_KIT_DIR="$kit" O="$out/ta/$ta" >"$log" 2>&1; then
		tas_built=$((tas_built + 1))
		cp "$out/ta/$ta"/*.ta "$TZM_TA_DIR/" 2>/dev/null
		printf '  %-18s built\n' "$ta"
	else
		printf '  %-18s FAIL  %s\n' "$ta" \
			"$(grep -m1 -E 'error|Error|\*\*\*' "$log" | cut -c1-150)"
	fi
done
echo "  $tas_built of $tas_all TAs built"

echo
echo "host: make -C host/xtest with the kit and libteec"
if ! make -C "$src/host/xtest" O="$out" TA_DEV_KIT_DIR="$kit" OPTEE_CLIENT_EXPORT="$prefix" \
	--no-builtin-variables CC="${CC:-gcc}" >"$scratch/xtest-build.log" 2>&1; then
	grep -m5 -E 'error' "$scratch/xtest-build.log" >&2
	echo "$0: xtest did not build (see $scratch/xtest-build.log)" >&2
	exit 1
fi
# The suite's test supplicant plugin (case 1033), installed where OP-TEE's tee-supplicant
# looks and our libteec too: $PREFIX/lib/tee-supplicant/plugins.
if make -C "$src/host/supp_plugin" O="$out" OPTEE_CLIENT_EXPORT="$prefix" \
	--no-builtin-variables CC="${CC:-gcc}" >"$scratch/plugin-build.log" 2>&1; then
	mkdir -p "$prefix/lib/tee-supplicant/plugins"
	cp "$out"/supp_plugin/*.plugin "$prefix/lib/tee-supplicant/plugins/"
else
	echo "the suite's test plugin did not build (see $scratch/plugin-build.log)"
fi

echo
printf '%-8s %-6s %s\n' case result "sub-cases (see $scratch/run-<case>.log)"
failed=0
passed=0
for id in $cases; do
	log=$scratch/run-$id.log
	timeout 900 "$out/xtest/xtest" -t regression "$id" >"$log" 2>&1
	rc=$?
	lines=$(grep -E '^regression_[0-9]+[_a-z0-9]* (OK|FAILED|SKIPPED)' "$log" |
		sed 's/^regression_//' | tr '\n' ' ')
	if [ -z "$lines" ]; then
		lines="no result (rc $rc)"
		rc=1
	fi
	if [ "$rc" -eq 0 ]; then
		passed=$((passed + 1))
		printf '%-8s %-6s %s\n' "$id" ok "$lines"
	else
		failed=$((failed + 1))
		printf '%-8s %-6s %s\n' "$id" FAIL "$lines"
	fi
done
echo
echo "$passed of $((passed + failed)) cases passed"
[ "$failed" -eq 0 ]
