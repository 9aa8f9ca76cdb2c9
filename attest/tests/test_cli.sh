#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# tzm-attest command line: exit statuses (0 affirming, 1 warning, 2 contraindicated,
# 64 usage, 65 bad key/challenge/refvals, 66 unreadable token), JSON output, show,
# reference-value files, platform-key.
# usage: test_cli.sh TZM_ATTEST VECTOR_DIR
set -u
bin=$1
vec=$2
# Cross builds run the aarch64 tzm-attest under qemu (cmake/tzm-exec.sh).
. "$(dirname "$0")/../../cmake/tzm-exec.sh"
tmp=${TZM_TEST_TMPDIR:-$(mktemp -d)}
fail=0
legacy=$vec/tfrmm_cca_token_legacy399.cbor
cmw=$vec/veraison_good_cca_token_cmw907.cbor
p384=$vec/cpak_p384_tfm_tools.pub.pem
p256=$vec/veraison_test_iak_p256.pub.pem
chal=$(printf 'ab%.0s' $(seq 1 64))

# expect STATUS DESCRIPTION -- command...   (output kept in $tmp/out)
expect() {
    local want=$1 what=$2
    shift 3
    tzm_exec "$@" >"$tmp/out" 2>&1
    local got=$?
    if [ "$got" -ne "$want" ]; then
        echo "FAIL: $what: exit $got, want $want: $*" >&2
        sed 's/^/    /' "$tmp/out" >&2
        fail=1
    fi
}
contains() {
    if ! grep -q -- "$1" "$tmp/out"; then
        echo "FAIL: output lacks '$1'" >&2
        sed 's/^/    /' "$tmp/out" >&2
        fail=1
    fi
}

# The legacy vector's platform profile is the deprecated http://arm.com/CCA-SSD/1.0.0:
# everything verifies, and the result is a warning saying so (as Arm's tools report it).
expect 1 "legacy vector" -- "$bin" verify "$legacy" --platform-key "$p384" --challenge "$chal"
contains "status: warning"
contains "profile_legacy"
expect 0 "cmw vector json" -- "$bin" verify "$cmw" --platform-key "$p256" --json
contains '"status":"affirming"'
expect 0 "token on stdin" -- sh -c "${TZM_EXEC_WRAPPER:-} \"$bin\" verify - --platform-key \"$p256\" < \"$cmw\""
expect 1 "no platform key" -- "$bin" verify "$legacy"
contains "platform_key_absent"
expect 2 "wrong challenge" -- "$bin" verify "$legacy" --platform-key "$p384" \
    --challenge "$(printf 'cd%.0s' $(seq 1 64))" --json
contains '"reason":"challenge"'
expect 2 "wrong key curve" -- "$bin" verify "$legacy" --platform-key "$p256"
contains "algorithm"

printf 'rim %s\n' "$(printf '00%.0s' $(seq 1 32))" >"$tmp/ok.rv"
expect 1 "matching reference values" -- "$bin" verify "$legacy" --platform-key "$p384" \
    --ref-values "$tmp/ok.rv"
printf 'rim %s\nsw 00\n' "$(printf '11%.0s' $(seq 1 32))" >"$tmp/bad.rv"
expect 2 "mismatching reference values" -- "$bin" verify "$legacy" --platform-key "$p384" \
    --ref-values "$tmp/bad.rv" --json
contains '"reason":"refval_mismatch"'
printf 'rum 00\n' >"$tmp/broken.rv"
expect 65 "broken reference-value file" -- "$bin" verify "$legacy" --ref-values "$tmp/broken.rv"
contains "line 1"

head -c 100 "$legacy" >"$tmp/trunc.cbor"
expect 2 "truncated token" -- "$bin" verify "$tmp/trunc.cbor" --platform-key "$p384"
contains "malformed"
expect 65 "short challenge" -- "$bin" verify "$legacy" --challenge abab
expect 65 "key file is not a key" -- "$bin" verify "$legacy" --platform-key "$legacy"
expect 66 "missing token" -- "$bin" verify "$tmp/nonexistent"
contains "No such file"
mkdir -p "$tmp/dir.cbor"
expect 66 "token is a directory" -- "$bin" verify "$tmp/dir.cbor"
contains "Is a directory"
: >"$tmp/empty.cbor"
expect 2 "empty token" -- "$bin" verify "$tmp/empty.cbor" --platform-key "$p384"
contains "malformed"
head -c 70000 /dev/zero >"$tmp/huge.cbor"
expect 66 "token over the 64 KiB limit" -- "$bin" verify "$tmp/huge.cbor"
contains "64 KiB"
expect 65 "challenge is not hex" -- "$bin" verify "$legacy" --challenge "$(printf 'zz%.0s' $(seq 1 64))"
expect 65 "missing key file" -- "$bin" verify "$legacy" --platform-key "$tmp/nonexistent.pem"
expect 65 "missing reference-value file" -- "$bin" verify "$legacy" --ref-values "$tmp/nonexistent.rv"
expect 64 "no arguments" -- "$bin"
expect 64 "unknown command" -- "$bin" frobnicate
expect 64 "unknown option" -- "$bin" verify "$legacy" --frob
expect 64 "option without value" -- "$bin" verify "$legacy" --challenge
expect 0 "help" -- "$bin" --help
contains "contraindicated"

expect 0 "show legacy" -- "$bin" show "$legacy"
contains "software-components"
contains "h'abababab"
expect 0 "show cmw" -- "$bin" show "$cmw"
contains "public-key-hash-algorithm"
expect 65 "show garbage" -- "$bin" show "$p384"

export TZM_STATE_DIR=$tmp/state
expect 0 "platform-key" -- "$bin" platform-key
contains "BEGIN PUBLIC KEY"
cp "$tmp/out" "$tmp/key1"
expect 0 "platform-key again" -- "$bin" platform-key
if ! cmp -s "$tmp/out" "$tmp/key1"; then
    echo "FAIL: platform key changed between runs" >&2
    fail=1
fi
if [ "$(stat -c %a "$TZM_STATE_DIR/attest-platform-key.pem")" != 600 ]; then
    echo "FAIL: platform key file is not mode 600" >&2
    fail=1
fi

[ "$fail" -eq 0 ] && echo "attest_cli: all checks passed"
exit "$fail"
