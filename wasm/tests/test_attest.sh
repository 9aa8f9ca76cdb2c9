#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# wasm_attest: a Wasm TA's token (tzm_attest_token imported from Wasm) verifies with
# `tzm attest verify` against this TEE's platform key, the challenge, and the TA's
# measurement (the RIM: SHA-256 of its .ta file, as for every TA); a wrong RIM is
# refused; a length pointer outside the module's memory is TEE_ERROR_BAD_PARAMETERS.
#   test_attest.sh <tzm-run> <tzm-attest> <uuid>
set -u
. "$(dirname "$0")/../../cmake/tzm-exec.sh"
run=$1 attest=$2 uuid=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; for f in "$tmp"/*; do echo "--- $f"; head -c 2000 "$f"; echo; done; exit 1; }

ch=$(head -c 64 /dev/urandom | od -An -tx1 | tr -d ' \n')
tzm_exec "$run" "$uuid" -- "$ch" >"$tmp/token.cbor" 2>"$tmp/ta.err" || fail "the Wasm TA failed"
${TZM_EXEC_WRAPPER:-} "$attest" platform-key >"$tmp/platform.pem" || fail "platform-key"
printf 'rim %s\n' "$(sha256sum "${TZM_TA_DIR:?}/$uuid.ta" | cut -d' ' -f1)" >"$tmp/good.rv"
printf 'rim %s\n' "$(printf 'another module' | sha256sum | cut -d' ' -f1)" >"$tmp/bad.rv"
${TZM_EXEC_WRAPPER:-} "$attest" verify "$tmp/token.cbor" --platform-key "$tmp/platform.pem" \
	--challenge "$ch" --ref-values "$tmp/good.rv" >"$tmp/verify.txt" 2>&1 ||
	fail "token not affirmed"
other=$(head -c 64 /dev/urandom | od -An -tx1 | tr -d ' \n')
if ${TZM_EXEC_WRAPPER:-} "$attest" verify "$tmp/token.cbor" --platform-key "$tmp/platform.pem" \
	--challenge "$other" --ref-values "$tmp/good.rv" >"$tmp/verify-ch.txt" 2>&1; then
	fail "another challenge accepted"
fi
if ${TZM_EXEC_WRAPPER:-} "$attest" verify "$tmp/token.cbor" --platform-key "$tmp/platform.pem" \
	--challenge "$ch" --ref-values "$tmp/bad.rv" >"$tmp/verify-bad.txt" 2>&1; then
	fail "a wrong RIM accepted"
fi
tzm_exec "$run" "$uuid" -- "$ch" bad >"$tmp/bad.out" 2>"$tmp/bad.err" || fail "bad pointer: not BAD_PARAMETERS"
grep -q "0xffff0006" "$tmp/bad.err" || fail "bad pointer answer"
echo "PASS"
