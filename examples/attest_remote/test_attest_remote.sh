#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# attest_remote end to end: the server TA runs under tzm-run; the client gets its token,
# verifies it against the platform key and the TA's expected measurement (SHA-256 of the
# .ta file) and delivers the secret; with a wrong expected measurement the client must
# withhold the secret and the server must not receive one.
#
# usage: test_attest_remote.sh CLIENT TZM_RUN TZM_ATTEST UUID POLICY
set -euo pipefail
client=$1 tzm_run=$2 tzm_attest=$3 uuid=$4 policy=$5
scratch=${TZM_TEST_TMPDIR:-$(mktemp -d)}
ta=${TZM_TA_DIR:?}/$uuid.ta
server_pid=""
cleanup() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
}
trap cleanup EXIT
fail() {
    echo "test_attest_remote: FAIL: $*" >&2
    echo "---- server output ----" >&2
    cat "$scratch/server.err" >&2 || true
    exit 1
}

${TZM_EXEC_WRAPPER:-} "$tzm_run" --policy "$policy" "$uuid" -- 127.0.0.1 0 --count 2 2>"$scratch/server.err" &
server_pid=$!
port=""
for _ in $(seq 1 600); do
    port=$(sed -n 's/^attest_server: listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' \
        "$scratch/server.err")
    [ -n "$port" ] && break
    kill -0 "$server_pid" 2>/dev/null || fail "server exited early"
    sleep 0.1
done
[ -n "$port" ] || fail "server did not start listening"

# What the verifier knows in advance: the platform public key and the TA build it trusts.
${TZM_EXEC_WRAPPER:-} "$tzm_attest" platform-key >"$scratch/platform.pem"
printf 'rim %s\n' "$(sha256sum "$ta" | cut -d' ' -f1)" >"$scratch/good.rv"
printf 'rim %s\n' "$(printf 'another build' | sha256sum | cut -d' ' -f1)" >"$scratch/bad.rv"

${TZM_EXEC_WRAPPER:-} "$client" 127.0.0.1 "$port" --platform-key "$scratch/platform.pem" \
    --ref-values "$scratch/good.rv" --save-token "$scratch/token.cbor" \
    --secret "open sesame" >"$scratch/client1.out" || fail "client 1: $(cat "$scratch/client1.out")"
grep -q "secret delivered" "$scratch/client1.out" || fail "client 1 did not deliver"
# The saved token also verifies with the command-line verifier.
${TZM_EXEC_WRAPPER:-} "$tzm_attest" verify "$scratch/token.cbor" --platform-key "$scratch/platform.pem" \
    --ref-values "$scratch/good.rv" >/dev/null || fail "tzm-attest rejected the token"

rc=0
${TZM_EXEC_WRAPPER:-} "$client" 127.0.0.1 "$port" --platform-key "$scratch/platform.pem" \
    --ref-values "$scratch/bad.rv" --secret "must not leak" >"$scratch/client2.out" || rc=$?
[ "$rc" -eq 3 ] || fail "client 2 exit $rc, want 3 (attestation refused)"
grep -q "refval_mismatch" "$scratch/client2.out" || fail "client 2 gave no reason"

wait "$server_pid" || fail "server exit status $?"
server_pid=""
grep -q "received a secret of 11 bytes" "$scratch/server.err" || fail "server lacks secret 1"
grep -q "withheld the secret" "$scratch/server.err" || fail "server got secret 2?"
[ "$(grep -c 'received a secret' "$scratch/server.err")" -eq 1 ] || fail "two secrets received"
echo "test_attest_remote: passed"
