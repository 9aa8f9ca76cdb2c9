#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Builds OP-TEE's examples repository (linaro-swg/optee_examples) UNCHANGED against an
# install of this tree and runs every host program, checking its output.
#
#   scripts/optee-examples.sh <optee_examples checkout> [<build dir>]
#
# <build dir> (default: build) is a configured and built tree; it is installed into a
# scratch prefix with `cmake --install`. The examples are copied to a scratch directory
# (the checkout is never written), each TA is built with
# `make -C <ex>/ta TA_DEV_KIT_DIR=<prefix>/share/tzmediator/ta_dev_kit` and each host with
# `make -C <ex>/host TEEC_EXPORT=<prefix>`, the plugins example's syslog plugin with
# `make -C plugins/syslog TEEC_EXPORT=<prefix>` (installed into
# <prefix>/lib/tee-supplicant/plugins, where OP-TEE's tee-supplicant looks). The programs run against a private TEE
# (TZM_RUNTIME_DIR/TZM_STATE_DIR in the scratch directory, stopped at the end).
# Prints one line per example (build, run, what was checked) and exits 1 if any failed.
# Not a CTest: the examples are fetched from the network, which CI cannot do.
set -uo pipefail

[ $# -ge 1 ] && [ $# -le 2 ] || {
	echo "usage: $0 <optee_examples checkout> [<build dir>]" >&2
	exit 2
}
examples=$(cd "$1" && pwd) || exit 2
build=$(cd "${2:-build}" && pwd) || exit 2
[ -f "$examples/hello_world/ta/hello_world_ta.c" ] || {
	echo "$0: $examples is not an optee_examples checkout" >&2
	exit 2
}
[ -f "$build/CMakeCache.txt" ] || {
	echo "$0: $build is not a configured build tree" >&2
	exit 2
}

# shellcheck source=scripts/optee-suite-lib.sh
. "$(dirname "$0")/optee-suite-lib.sh"
optee_suite_setup optee-examples "$examples" "$build"

failed=0
results=()
result() { # <example> <status> <detail>
	results+=("$(printf '%-15s %-5s %s' "$1" "$2" "$3")")
	[ "$2" = ok ] || failed=1
}
# $1 example; builds its TA and host; 0 when both built
build_example() {
	local ex=$1 log=$scratch/$1.build.log
	if ! make -C "$src/$ex/ta" TA_DEV_KIT_DIR="$kit" >"$log" 2>&1; then
		result "$ex" FAIL "TA build: $(grep -m1 -E 'error' "$log" || tail -n1 "$log")"
		return 1
	fi
	if ! make -C "$src/$ex/host" TEEC_EXPORT="$prefix" --no-builtin-variables >>"$log" 2>&1; then
		result "$ex" FAIL "host build: $(grep -m1 -E 'error' "$log" || tail -n1 "$log")"
		return 1
	fi
	cp "$src/$ex"/ta/*.ta "$TZM_TA_DIR/"
}
# $1 example, $2 host program, $3 what must appear, then the program's arguments
run_expect() {
	local ex=$1 prog=$2 want=$3 out rc=0
	shift 3
	out=$(timeout 120 "$src/$ex/host/$prog" "$@" 2>&1) || rc=$?
	printf '%s\n' "$out" >>"$scratch/$ex.run.log"
	# the examples print bytes through a signed char: drop the sign extension
	out=${out//ffffff/}
	if [ "$rc" -ne 0 ] || [[ "$out" != *"$want"* ]]; then
		result "$ex" FAIL "$prog $*: rc $rc, no \"$want\" (see $scratch/$ex.run.log)"
		return 1
	fi
}

ex=hello_world
build_example $ex && run_expect $ex optee_example_hello_world "TA incremented value to 43" &&
	result $ex ok "42 incremented to 43 by the TA"

ex=random
build_example $ex && run_expect $ex optee_example_random "TA generated UUID value = 0x" &&
	result $ex ok "random UUID from the TA"

ex=secure_storage
build_example $ex && run_expect $ex optee_example_secure_storage "We're done" &&
	run_expect $ex optee_example_secure_storage "We're done" &&
	result $ex ok "create, read back, delete; run twice"

ex=aes
build_example $ex && run_expect $ex optee_example_aes "Clear text and decoded text match" &&
	result $ex ok "AES-128 encrypt then decrypt round trip"

ex=acipher
if build_example $ex; then
	good=1
	for algo in TA_ALG_PKCS1_V1_5 TA_ALG_OAEP_MGF1_SHA1 TA_ALG_OAEP_MGF1_SHA256 \
		TA_ALG_OAEP_MGF1_SHA512; do
		run_expect $ex optee_example_acipher "message is matching" 2048 "hello, tzmediator" \
			$algo || {
			good=0
			break
		}
	done
	[ $good = 1 ] && result $ex ok "RSA-2048 encrypt/decrypt: PKCS#1 v1.5, OAEP SHA-1/256/512"
fi

ex=ecdh
build_example $ex && run_expect $ex optee_example_ecdh "ECDH shared secret" &&
	result $ex ok "ECDH shared secret computed"

ex=ecdsa
build_example $ex && run_expect $ex optee_example_ecdsa "verify signature successfully" &&
	result $ex ok "ECDSA P-256 sign and verify"

ex=sign_verify
build_example $ex && run_expect $ex optee_example_sign_verify "Sign and verify successful" &&
	result $ex ok "RSA-2048 PKCS#1 v1.5 SHA-256 sign and verify"

ex=hotp
# RFC 4226 appendix D: the HOTP values for counts 0..9 of the example's key
if build_example $ex; then
	good=1
	for v in 755224 287082 359152 969429 338314 254676 287922 162583 399871 520489; do
		run_expect $ex optee_example_hotp "HOTP: $v" || {
			good=0
			break
		}
	done
	[ $good = 1 ] && result $ex ok "RFC 4226 test values 0-9"
fi

ex=sha
# FIPS 180-4 / FIPS 202 digests of "abc"; the MACs are compared by the example itself
if build_example $ex; then
	good=1
	while read -r algo want; do
		run_expect $ex optee_example_sha "$want" abc "$algo" || {
			good=0
			break
		}
	done <<'EOF'
SHA1 digest: a9993e364706816aba3e25717850c26c9cd0d89d
SHA224 digest: 23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7
SHA256 digest: ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad
SHA384 digest: cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7
SHA512 digest: ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f
SHA3_256 digest: 3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532
HMAC_SHA1 MAC successfully matching
HMAC_SHA256 MAC successfully matching
HMAC_SHA512 MAC successfully matching
AES_CMAC MAC successfully matching
SHAKE128 digest:
SHAKE256 digest:
EOF
	[ $good = 1 ] && result $ex ok "SHA-1/2/3 digests of \"abc\", HMAC, AES-CMAC, SHAKE"
fi

ex=plugins
if build_example $ex; then
	if ! make -C "$src/plugins/syslog" TEEC_EXPORT="$prefix" >>"$scratch/$ex.build.log" 2>&1; then
		result $ex FAIL "syslog plugin build: $(grep -m1 error "$scratch/$ex.build.log")"
	else
		# installed where OP-TEE's tee-supplicant looks: $PREFIX/lib/tee-supplicant/plugins
		mkdir -p "$prefix/lib/tee-supplicant/plugins"
		cp "$src"/plugins/syslog/*.plugin "$prefix/lib/tee-supplicant/plugins/"
		run_expect $ex optee_example_plugins "Attempt #1: TEEC_InvokeCommand() success" &&
			run_expect $ex optee_example_plugins "Attempt #5: TEEC_InvokeCommand() success" &&
			result $ex ok "5 TA calls ran the syslog plugin in the client"
	fi
fi

echo
printf '%-15s %-5s %s\n' example result detail
printf '%s\n' "${results[@]}"
exit $failed
