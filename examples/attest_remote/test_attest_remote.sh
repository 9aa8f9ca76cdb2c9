#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# attest_remote end to end, with the server as a TA or in a realm. The client gets the
# server's token, verifies it against the platform key and the expected measurement and
# delivers the secret; with a wrong expected measurement the client must withhold the
# secret and the server must not receive one. `tzm attest verify` accepts the saved token.
# Channel binding (protocol v2): the good client talks through a relay (relay.py) that
# records every byte, as tzm-run or anyone on the path can: the secret must not be among
# them. A relay that substitutes the server's ephemeral key makes the client refuse (the
# token's challenge does not match), and a v1 client is refused by the server.
#  - ta: the server TA runs under tzm-run; the expected measurement is the SHA-256 of its
#    .ta file.
#  - realm: the same server source, built as a realm image, runs under `tzm realm run`; its
#    token comes from the RMM model (RSI_ATTEST_TOKEN_*), is a realm profile 2.0 token, and
#    the expected measurement is the RIM that `tzm realm measure IMAGE` predicted before
#    the realm ran.
#
# usage: test_attest_remote.sh ta CLIENT TZM_RUN TZM_ATTEST POLICY UUID
#        test_attest_remote.sh realm CLIENT TZM_RUN TZM_ATTEST POLICY IMAGE TZM_REALM
set -euo pipefail
mode=$1 client=$2 tzm_run=$3 tzm_attest=$4 policy=$5
case $mode in
ta) uuid=$6 ;;
realm) image=$6 tzm_realm=$7 ;;
*) echo "test_attest_remote: unknown mode $mode (ta or realm)" >&2; exit 2 ;;
esac
scratch=${TZM_TEST_TMPDIR:-$(mktemp -d)}
server_pid="" relay_pid=""
relay_py=$(dirname "$0")/relay.py
cleanup() {
    for p in "$relay_pid" "$server_pid"; do
        if [ -n "$p" ] && kill -0 "$p" 2>/dev/null; then
            kill -TERM "$p" 2>/dev/null || true
            wait "$p" 2>/dev/null || true
        fi
    done
}
trap cleanup EXIT
fail() {
    echo "test_attest_remote ($mode): FAIL: $*" >&2
    echo "---- server output ----" >&2
    cat "$scratch/server.err" >&2 || true
    for f in "$scratch"/client*.out; do
        [ -f "$f" ] && { echo "---- $(basename "$f") ----"; cat "$f"; } >&2
    done
    exit 1
}

if [ "$mode" = ta ]; then
    server=(${TZM_EXEC_WRAPPER:-} "$tzm_run" --policy "$policy" "$uuid" --)
else
    # What the verifier knows in advance: the platform's public key and the predicted RIM
    # (the realm's key must be chosen before it runs).
    export TZM_REALM_PLATFORM_KEY="$scratch/platform-key.pem"
    ${TZM_EXEC_WRAPPER:-} "$tzm_realm" platform-key "$TZM_REALM_PLATFORM_KEY" >"$scratch/platform.pem"
    ${TZM_EXEC_WRAPPER:-} "$tzm_realm" measure "$image" >"$scratch/good.rv"
    grep -Eq '^rim [0-9a-f]{64}$' "$scratch/good.rv" || fail "tzm realm measure: $(cat "$scratch/good.rv")"
    printf 'rim %s\n' "$(printf 'another image' | sha256sum | cut -d' ' -f1)" >"$scratch/bad.rv"
    # `tzm realm run` natively; tzm-run --realm (the same thing) under an emulator wrapper,
    # which cannot follow tzm-realm's exec of a foreign binary
    server=("$tzm_realm" run)
    [ -n "${TZM_EXEC_WRAPPER:-}" ] && server=($TZM_EXEC_WRAPPER "$tzm_run" --realm)
    server+=(--policy "$policy" "$image" --)
fi
# The file exists before the loop below reads it: the background job opens it itself,
# and under load sed could run first (set -e: the test ended at once, "can't read").
: >"$scratch/server.err"
"${server[@]}" 127.0.0.1 0 --count 4 2>"$scratch/server.err" &
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

if [ "$mode" = ta ]; then
    # What the verifier knows in advance: the platform public key and the TA build it trusts.
    ${TZM_EXEC_WRAPPER:-} "$tzm_attest" platform-key >"$scratch/platform.pem"
    printf 'rim %s\n' "$(sha256sum "${TZM_TA_DIR:?}/$uuid.ta" | cut -d' ' -f1)" >"$scratch/good.rv"
    printf 'rim %s\n' "$(printf 'another build' | sha256sum | cut -d' ' -f1)" >"$scratch/bad.rv"
fi

# start_relay NAME [--swap-epub]: a relay for one connection to the server; sets relay_port
start_relay() {
    rm -f "$scratch/$1.port" "$scratch/$1.bytes"
    python3 "$relay_py" "$port" "$scratch/$1.port" "$scratch/$1.bytes" ${2:-} &
    relay_pid=$!
    relay_port=""
    for _ in $(seq 1 300); do
        [ -s "$scratch/$1.port" ] && relay_port=$(cat "$scratch/$1.port") && break
        kill -0 "$relay_pid" 2>/dev/null || fail "relay $1 exited early"
        sleep 0.1
    done
    [ -n "$relay_port" ] || fail "relay $1 did not start"
}
finish_relay() {
    wait "$relay_pid" || fail "relay exit status $?"
    relay_pid=""
}

secret="open sesame, the attested TA only"
start_relay good
${TZM_EXEC_WRAPPER:-} "$client" 127.0.0.1 "$relay_port" --platform-key "$scratch/platform.pem" \
    --ref-values "$scratch/good.rv" --save-token "$scratch/token.cbor" \
    --secret "$secret" >"$scratch/client1.out" || fail "client 1: $(cat "$scratch/client1.out")"
grep -q "secret delivered" "$scratch/client1.out" || fail "client 1 did not deliver"
finish_relay
# What the relay saw: the token (it is public) but not the secret, nor any 8 bytes of it.
for off in $(seq 0 $((${#secret} - 8))); do
    if grep -aqF -- "${secret:$off:8}" "$scratch/good.bytes"; then
        fail "the relay read the secret in clear (\"${secret:$off:8}\" at offset $off)"
    fi
done
grep -aq "TZA2" "$scratch/good.bytes" || fail "the relay saw no protocol v2 exchange"
# The saved token also verifies with the command-line verifier.
${TZM_EXEC_WRAPPER:-} "$tzm_attest" verify "$scratch/token.cbor" --platform-key "$scratch/platform.pem" \
    --ref-values "$scratch/good.rv" --json >"$scratch/verify.json" || fail "tzm attest verify rejected the token: $(cat "$scratch/verify.json")"
if [ "$mode" = realm ]; then
    grep -q 'tag:arm.com,2024:realm#2.0.0' "$scratch/verify.json" || fail "not a realm profile 2.0 token"
fi

rc=0
${TZM_EXEC_WRAPPER:-} "$client" 127.0.0.1 "$port" --platform-key "$scratch/platform.pem" \
    --ref-values "$scratch/bad.rv" --secret "must not leak" >"$scratch/client2.out" || rc=$?
[ "$rc" -eq 3 ] || fail "client 2 exit $rc, want 3 (attestation refused)"
grep -q "refval_mismatch" "$scratch/client2.out" || fail "client 2 gave no reason"

# A man in the middle substitutes its own ephemeral key: the token, made for the server's
# key, no longer answers the challenge the client recomputes, and the client withholds.
rc=0
start_relay mitm --swap-epub
${TZM_EXEC_WRAPPER:-} "$client" 127.0.0.1 "$relay_port" --platform-key "$scratch/platform.pem" \
    --ref-values "$scratch/good.rv" --secret "must not leak" >"$scratch/client3.out" || rc=$?
finish_relay
[ "$rc" -eq 3 ] || fail "client 3 (substituted key) exit $rc, want 3: $(cat "$scratch/client3.out")"
grep -q "challenge" "$scratch/client3.out" || fail "client 3 did not name the challenge"

# Without a pinned RIM every TA of the platform gets an affirming token (one the relay runs
# itself too): the client refuses to run rather than deliver to whichever TA answers.
: >"$scratch/norim.rv"
for rvopt in "" "--ref-values $scratch/norim.rv"; do
    rc=0
    ${TZM_EXEC_WRAPPER:-} "$client" 127.0.0.1 "$port" --platform-key "$scratch/platform.pem" \
        $rvopt --secret "must not leak" >"$scratch/client4.out" 2>&1 || rc=$?
    [ "$rc" -eq 1 ] || fail "client 4 (no RIM pinned: '$rvopt') exit $rc, want 1"
    grep -q "RIM" "$scratch/client4.out" || fail "client 4 did not name the missing RIM"
done

# A protocol v1 client (secret in clear after the token) is refused with a reason.
exec 3<>"/dev/tcp/127.0.0.1/$port"
{ printf 'TZMA'; head -c 64 /dev/zero; } >&3
cat <&3 >"$scratch/v1.answer" || true
exec 3<&-
[ ! -s "$scratch/v1.answer" ] || fail "the server answered a v1 client"

wait "$server_pid" || fail "server exit status $?"
server_pid=""
grep -q "received a secret of ${#secret} bytes" "$scratch/server.err" || fail "server lacks secret 1"
[ "$(grep -c 'withheld the secret' "$scratch/server.err")" -eq 2 ] ||
    fail "server got secret 2 or 3?"
[ "$(grep -c 'received a secret' "$scratch/server.err")" -eq 1 ] || fail "two secrets received"
grep -q "refused a protocol v1 client" "$scratch/server.err" || fail "v1 client not refused"
echo "test_attest_remote ($mode): passed"
