#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# tzm_attest_extend() in a realm: the realm program (realm_extend.c) extends REM 2 twice
# and REM 4 once through RSI_MEASUREMENT_EXTEND, then asks for its token. The verifier
# side computes each expected REM here, independently (REM = SHA-256(REM || data), from
# 32 zero bytes), and `tzm attest verify` must accept the token with those values, the
# challenge, the platform key and the RIM `tzm realm measure` predicted; a reference
# value missing the second extension must be refused (so the check sees the REMs at all).
# Index 0, index 5 and a 65-byte measurement are refused by the RMM with
# TEE_ERROR_BAD_PARAMETERS and change nothing (REM 1 stays zero).
#
# usage: test_attest_extend.sh TZM_REALM TZM_RUN TZM_ATTEST IMAGE
set -euo pipefail
tzm_realm=$1 tzm_run=$2 tzm_attest=$3 image=$4
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export TZM_RUNTIME_DIR=$scratch
fail() {
    echo "test_attest_extend: FAIL: $*" >&2
    echo "---- realm stdout ----" >&2
    cut -c1-200 "$scratch/out" >&2 || true
    echo "---- realm stderr ----" >&2
    cat "$scratch/err" >&2 || true
    exit 1
}
rand_hex() { head -c "$1" /dev/urandom | xxd -p | tr -d '\n'; }
# REM extension as RSI_MEASUREMENT_EXTEND defines it, for SHA-256 realms
extend() { printf '%s%s' "$1" "$2" | xxd -r -p | sha256sum | cut -d' ' -f1; }

export TZM_REALM_PLATFORM_KEY="$scratch/platform-key.pem"
${TZM_EXEC_WRAPPER:-} "$tzm_realm" platform-key "$TZM_REALM_PLATFORM_KEY" >"$scratch/platform.pem"
rim=$(${TZM_EXEC_WRAPPER:-} "$tzm_realm" measure "$image" | sed -n 's/^rim \([0-9a-f]*\)$/\1/p')
[ -n "$rim" ] || fail "tzm realm measure printed no RIM"

challenge=$(rand_hex 64)
a=$(rand_hex 32) b=$(rand_hex 64) c=$(rand_hex 1) big=$(rand_hex 65)
zero=$(printf '%064d' 0)
rem2_once=$(extend "$zero" "$a")
rem2=$(extend "$rem2_once" "$b")
rem4=$(extend "$zero" "$c")

run=("$tzm_realm" run)
[ -n "${TZM_EXEC_WRAPPER:-}" ] && run=($TZM_EXEC_WRAPPER "$tzm_run" --realm)
rc=0
"${run[@]}" --allow-all "$image" -- "$challenge" "0:$a" "5:$a" "1:$big" "2:$a" "2:$b" \
    "4:$c" >"$scratch/out" 2>"$scratch/err" || rc=$?
[ "$rc" -eq 0 ] || fail "realm exit status $rc"

want="extend 0 32: refused (TEE_ERROR_BAD_PARAMETERS)
extend 5 32: refused (TEE_ERROR_BAD_PARAMETERS)
extend 1 65: refused (TEE_ERROR_BAD_PARAMETERS)
extend 2 32: ok
extend 2 64: ok
extend 4 1: ok"
[ "$(grep '^extend ' "$scratch/out")" = "$want" ] || fail "extend results differ from: $want"
sed -n 's/^token \([0-9a-f]*\)$/\1/p' "$scratch/out" | xxd -r -p >"$scratch/token.cbor"
[ -s "$scratch/token.cbor" ] || fail "no token"

# rem0..rem3 are REM 1..4 (claim 44239)
printf 'rim %s\nrem0 %s\nrem1 %s\nrem2 %s\nrem3 %s\n' "$rim" "$zero" "$rem2" "$zero" "$rem4" \
    >"$scratch/good.rv"
${TZM_EXEC_WRAPPER:-} "$tzm_attest" verify "$scratch/token.cbor" --platform-key \
    "$scratch/platform.pem" --challenge "$challenge" --ref-values "$scratch/good.rv" \
    --json >"$scratch/verify.json" || fail "tzm attest verify refused: $(cat "$scratch/verify.json")"
grep -q "\"rems\":\[\"$zero\",\"$rem2\",\"$zero\",\"$rem4\"\]" "$scratch/verify.json" ||
    fail "REMs in the token: $(grep -o '"rems":[^]]*]' "$scratch/verify.json")"

printf 'rim %s\nrem1 %s\n' "$rim" "$rem2_once" >"$scratch/bad.rv"
vrc=0
${TZM_EXEC_WRAPPER:-} "$tzm_attest" verify "$scratch/token.cbor" --platform-key \
    "$scratch/platform.pem" --challenge "$challenge" --ref-values "$scratch/bad.rv" \
    >"$scratch/verify-bad.out" 2>&1 || vrc=$?
[ "$vrc" -eq 2 ] || fail "a REM without the second extension was accepted (exit $vrc)"
echo "test_attest_extend: passed"
