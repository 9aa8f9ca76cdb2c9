#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# The split application in a realm. The signer runs as a realm image under `tzm realm
# run`; a realm has no sealing key (RMM 1.0), so it gets its HMAC key from the key-release
# party (splitapp_keyrelease, keyrelease.h), which is pinned to the platform key and the
# RIM that `tzm realm measure` predicted and encrypts the key to the realm's ephemeral
# X25519 key named in the token's challenge. Checks:
#   - the service's sign/verify/tamper checks pass and its key-id is the party's key;
#   - key_scan finds the key neither in the host's memory (tzm-run: the hypervisor and the
#     shadow, which relayed the whole exchange) nor in any file of the scratch dir, but
#     does find it in the party's own key file (positive control);
#   - the same program with one more byte in its image (another RIM) gets no key: the
#     party refuses (refval_mismatch), the signer says so and exits without serving.
# usage: test_splitapp_realm.sh --image IMG --tzm-realm BIN --tzm-run BIN --keyrelease BIN
#                               --service BIN --key-scan BIN --policy TEMPLATE
set -euo pipefail
image="" tzm_realm="" tzm_run="" keyrelease="" service="" key_scan="" template=""
while [ $# -gt 0 ]; do
    case "$1" in
    --image) image=$2; shift 2 ;;
    --tzm-realm) tzm_realm=$2; shift 2 ;;
    --tzm-run) tzm_run=$2; shift 2 ;;
    --keyrelease) keyrelease=$2; shift 2 ;;
    --service) service=$2; shift 2 ;;
    --key-scan) key_scan=$2; shift 2 ;;
    --policy) template=$2; shift 2 ;;
    *) echo "test_splitapp_realm: unknown argument $1" >&2; exit 2 ;;
    esac
done
scratch=$(mktemp -d)
scratch=$(cd "$scratch" && pwd -P)
party=$(mktemp -d) # the key-release party's own storage, not the realm host's
export TZM_RUNTIME_DIR=$scratch
signer_pid="" party_pid=""
cleanup() {
    for p in $signer_pid $party_pid; do
        kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true
    done
    rm -rf "$scratch" "$party"
}
trap cleanup EXIT
fail() {
    echo "test_splitapp_realm: FAIL: $*" >&2
    for f in "$scratch"/*.log; do
        echo "---- $f ----" >&2
        cat "$f" >&2
    done
    exit 1
}
# wait_for LOG PATTERN PID: until LOG has a line matching PATTERN (bounded), PID alive
wait_for() {
    for _ in $(seq 1 600); do
        grep -q "$2" "$1" 2>/dev/null && return 0
        kill -0 "$3" 2>/dev/null || return 1
        sleep 0.1
    done
    return 1
}

export TZM_REALM_PLATFORM_KEY="$scratch/platform-key.pem"
${TZM_EXEC_WRAPPER:-} "$tzm_realm" platform-key "$TZM_REALM_PLATFORM_KEY" >"$party/platform.pem"
${TZM_EXEC_WRAPPER:-} "$tzm_realm" measure "$image" >"$party/signer.rv"
grep -Eq '^rim [0-9a-f]{64}$' "$party/signer.rv" || fail "tzm realm measure: $(cat "$party/signer.rv")"

${TZM_EXEC_WRAPPER:-} "$keyrelease" "$scratch/keyrelease.sock" --key-file "$party/key" \
    --platform-key "$party/platform.pem" --ref-values "$party/signer.rv" >"$scratch/party.log" 2>&1 &
party_pid=$!
wait_for "$scratch/party.log" '^keyrelease: ready' "$party_pid" || fail "key-release party not ready"
party_id=$(sed -n 's/^keyrelease: key id \([0-9a-f]*\)$/\1/p' "$scratch/party.log")

sed "s|@SCRATCH@|$scratch|g" "$template" >"$scratch/signer.policy"
run=("$tzm_realm" run)
[ -n "${TZM_EXEC_WRAPPER:-}" ] && run=($TZM_EXEC_WRAPPER "$tzm_run" --realm)
"${run[@]}" --policy "$scratch/signer.policy" "$image" -- "$scratch/signer.sock" \
    --key-server "$scratch/keyrelease.sock" >"$scratch/signer.log" 2>&1 &
signer_pid=$!
wait_for "$scratch/signer.log" '^signer: ready' "$signer_pid" || fail "realm signer not ready"
grep -q 'key released to this realm' "$scratch/signer.log" || fail "no key release reported"
grep -q '^keyrelease: released the key to an attested realm, RIM' "$scratch/party.log" ||
    fail "the party did not log the release"

${TZM_EXEC_WRAPPER:-} "$service" "$scratch/signer.sock" check
msg="pay 42 EUR to carol, ref $(basename "$scratch")"
mac=$(${TZM_EXEC_WRAPPER:-} "$service" "$scratch/signer.sock" sign "$msg")
id=$(${TZM_EXEC_WRAPPER:-} "$service" "$scratch/signer.sock" key-id)
[ "$id" = "$party_id" ] || fail "the realm's key-id $id is not the party's key $party_id"

# The host relayed the whole key release: the key must be in none of its memory ...
${TZM_EXEC_WRAPPER:-} "$key_scan" --msg "$msg" --mac "$mac" --pid "$signer_pid" ||
    fail "key_scan found the key in the host (tzm-run) or failed"
mapfile -t files < <(find "$scratch" -type f -size +0)
${TZM_EXEC_WRAPPER:-} "$key_scan" --msg "$msg" --mac "$mac" "${files[@]}" ||
    fail "key_scan found the key in the scratch dir or failed"
# ... while the scanner does find it where it is (positive control)
rc=0
${TZM_EXEC_WRAPPER:-} "$key_scan" --msg "$msg" --mac "$mac" "$party/key" >/dev/null || rc=$?
[ "$rc" -eq 1 ] || fail "key_scan missed the key in the party's key file (rc $rc)"
kill -TERM "$signer_pid"
wait "$signer_pid" || true
signer_pid=""

# Another realm (one more byte in its image: another RIM, the same code) gets no key.
cp "$image" "$scratch/other-image"
printf '\001' >>"$scratch/other-image"
other_rim=$(${TZM_EXEC_WRAPPER:-} "$tzm_realm" measure "$scratch/other-image")
[ "$other_rim" != "$(cat "$party/signer.rv")" ] || fail "the other image has the same RIM"
rc=0
timeout 60 "${run[@]}" --policy "$scratch/signer.policy" "$scratch/other-image" -- \
    "$scratch/signer.sock" --key-server "$scratch/keyrelease.sock" >"$scratch/other.log" 2>&1 || rc=$?
[ "$rc" -ne 0 ] || fail "the other realm exited 0"
grep -q 'signer: key release refused' "$scratch/other.log" || fail "the other realm did not report the refusal"
if grep -q '^signer: ready' "$scratch/other.log"; then fail "the other realm serves"; fi
wait_for "$scratch/party.log" '^keyrelease: refused: attestation contraindicated:.*refval_mismatch' \
    "$party_pid" || fail "the party did not refuse for the RIM"
echo "test_splitapp_realm: passed"
