#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Split application end to end.
#   ta:     the signer runs as a TA through the shadow. The service's sign/verify/tamper
#           checks pass; the key survives a TA restart (same fingerprint, old MAC still
#           verifies); and the key is found nowhere in the normal world: key_scan tries
#           every 32-byte window of the TEE state dir (secure storage, encrypted), the
#           scratch dir and the live shadow's writable memory as the HMAC key.
#   native: the developer build (key in a plain file). Same service checks, and the
#           scanner's positive controls: it must find the key in that plain file and in
#           the memory of the native signer process.
# Both: a signer killed with SIGKILL leaves its socket file behind; the next start must
# replace that stale socket (a live signer's socket is never taken over).
# usage: test_splitapp.sh ta|native --signer BIN --service BIN --key-scan BIN
#                         [--tzm-run PATH --uuid UUID --policy TEMPLATE]
set -euo pipefail
mode=$1
shift
signer="" service="" key_scan="" tzm_run="" uuid="" template=""
while [ $# -gt 0 ]; do
    case "$1" in
    --signer) signer=$2; shift 2 ;;
    --service) service=$2; shift 2 ;;
    --key-scan) key_scan=$2; shift 2 ;;
    --tzm-run) tzm_run=$2; shift 2 ;;
    --uuid) uuid=$2; shift 2 ;;
    --policy) template=$2; shift 2 ;;
    *) echo "test_splitapp: unknown argument $1" >&2; exit 2 ;;
    esac
done
scratch=${TZM_TEST_TMPDIR:-$(mktemp -d)}
scratch=$(cd "$scratch" && pwd -P)
sock="$scratch/signer.sock"
pid=""
trap '[ -z "$pid" ] || { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; } || true' EXIT

# start_signer LOG: starts the signer (serving clients until stopped), waits until ready.
start_signer() {
    local log=$1
    if [ "$mode" = ta ]; then
        sed "s|@SCRATCH@|$scratch|g" "$template" >"$scratch/signer.policy"
        ${TZM_EXEC_WRAPPER:-} "$tzm_run" --policy "$scratch/signer.policy" "$uuid" -- "$sock" >"$log" 2>&1 &
    else
        ${TZM_EXEC_WRAPPER:-} "$signer" "$sock" --dev-key-file "$scratch/dev.key" >"$log" 2>&1 &
    fi
    pid=$!
    for _ in $(seq 1 600); do
        if grep -q '^signer: ready' "$log"; then
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "test_splitapp: signer did not become ready:" >&2
    cat "$log" >&2
    exit 1
}

stop_signer() {
    kill -TERM "$pid"
    wait "$pid" || true
    pid=""
}

# stale_restart LOG: SIGKILL the signer (its socket file stays), start it again on the same
# path while a second start is refused as long as the first one serves the path.
stale_restart() {
    local log=$1 rc=0
    kill -KILL "$pid"
    wait "$pid" 2>/dev/null || true
    pid=""
    [ -S "$sock" ] || { echo "test_splitapp: no stale socket left after SIGKILL" >&2; exit 1; }
    start_signer "$log"
    ${TZM_EXEC_WRAPPER:-} "$service" "$sock" key-id >/dev/null
    # shellcheck disable=SC2086 # the wrapper is a list of words
    if [ "$mode" = native ]; then
        timeout 20 ${TZM_EXEC_WRAPPER:-} "$signer" "$sock" --dev-key-file "$scratch/dev.key" \
            >"$log.second" 2>&1 || rc=$?
    else
        timeout 20 ${TZM_EXEC_WRAPPER:-} "$tzm_run" --policy "$scratch/signer.policy" "$uuid" -- \
            "$sock" >"$log.second" 2>&1 || rc=$?
    fi
    if [ "$rc" -ne 1 ] || ! grep -q 'Address already in use' "$log.second"; then
        echo "test_splitapp: a second signer took over a live socket (rc $rc)" >&2
        cat "$log.second" >&2
        exit 1
    fi
    ${TZM_EXEC_WRAPPER:-} "$service" "$sock" key-id >/dev/null
    echo "stale socket replaced after SIGKILL; a live one is kept"
}

start_signer "$scratch/run1.log"
grep -q 'key generated and stored' "$scratch/run1.log" || { echo "first run did not create the key" >&2; exit 1; }
${TZM_EXEC_WRAPPER:-} "$service" "$sock" check
msg="pay 42 EUR to carol, ref $(basename "$scratch")"
mac=$(${TZM_EXEC_WRAPPER:-} "$service" "$sock" sign "$msg")
id1=$(${TZM_EXEC_WRAPPER:-} "$service" "$sock" key-id)
echo "MAC of the test message: $mac"

if [ "$mode" = native ]; then
    # Positive control: the scanner must find a key that is stored in the clear.
    set +e
    ${TZM_EXEC_WRAPPER:-} "$key_scan" --msg "$msg" --mac "$mac" "$scratch/dev.key"
    rc=$?
    set -e
    [ "$rc" = 1 ] || { echo "test_splitapp: key_scan missed the plain key (rc $rc)" >&2; exit 1; }
    # ... and in the memory of a process that holds it (the native signer does).
    set +e
    ${TZM_EXEC_WRAPPER:-} "$key_scan" --msg "$msg" --mac "$mac" --pid "$pid"
    rc=$?
    set -e
    [ "$rc" = 1 ] || { echo "test_splitapp: key_scan missed the key in memory (rc $rc)" >&2; exit 1; }
    stale_restart "$scratch/run2.log"
    stop_signer
    echo "test_splitapp: native ok"
    exit 0
fi

# The key is nowhere in the normal world while the TA is running ...
shadow=$pid
${TZM_EXEC_WRAPPER:-} "$key_scan" --msg "$msg" --mac "$mac" --pid "$shadow"
mapfile -t files < <(find "$TZM_STATE_DIR" "$scratch" -type f -size +0)
${TZM_EXEC_WRAPPER:-} "$key_scan" --msg "$msg" --mac "$mac" "${files[@]}"
echo "scanned ${#files[@]} files (secure storage, TEE state, scratch dir)"
stop_signer

# ... and it survives a restart of the TA, from secure storage.
start_signer "$scratch/run2.log"
grep -q 'key loaded from storage' "$scratch/run2.log" || { echo "second run did not load the key" >&2; cat "$scratch/run2.log" >&2; exit 1; }
id2=$(${TZM_EXEC_WRAPPER:-} "$service" "$sock" key-id)
[ "$id1" = "$id2" ] || { echo "test_splitapp: key fingerprint changed across restart" >&2; exit 1; }
${TZM_EXEC_WRAPPER:-} "$service" "$sock" verify "$msg" "$mac"
if ${TZM_EXEC_WRAPPER:-} "$service" "$sock" verify "$msg." "$mac"; then
    echo "test_splitapp: a tampered message verified" >&2
    exit 1
fi
stale_restart "$scratch/run3.log"
stop_signer
mapfile -t files < <(find "$TZM_STATE_DIR" "$scratch" -type f -size +0)
${TZM_EXEC_WRAPPER:-} "$key_scan" --msg "$msg" --mac "$mac" "${files[@]}"
echo "test_splitapp: ta ok"
