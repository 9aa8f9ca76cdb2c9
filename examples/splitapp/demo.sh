#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Part of `make demo`: the split application. A normal-world service (splitapp_service)
# needs HMAC-SHA256 MACs but must never hold the key; the signer, a plain POSIX program
# running as a TA through the mediator, keeps the key in GP secure storage and answers
# sign / verify / key-id requests over a UNIX socket that its shadow creates.
# The demo then looks for the key where an attacker in the normal world would: every
# 32-byte window of the shadow's memory and of every file in the TEE state dir (secure
# storage included) is tried as the key (splitapp_key_scan), with a positive control on
# the native developer build, which keeps its key in a plain file. Finally the TA restarts
# and reloads the same key from secure storage.
# Called as `examples/splitapp/demo.sh BUILD_DIR` inside a private TEE (scripts/demo.sh
# provides one). Every wait is bounded: a broken build fails the demo, never hangs it.
set -euo pipefail
build=$(cd "${1:-build}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../../cmake/tzm-script.sh
. "$here/../../cmake/tzm-script.sh"
TZM_SCRIPT_NAME="splitapp demo"
uuid=73706c74-7369-4e00-8000-000000000001
tzm_run=$build/bin/tzm-run
service=$build/bin/splitapp_service
key_scan=$build/bin/splitapp_key_scan
signer=$build/bin/splitapp_signer
export TZM_TA_DIR=${TZM_TA_DIR:-$build/lib/optee_armtz}
ta=$TZM_TA_DIR/$uuid.ta
state=${TZM_STATE_DIR:-${XDG_DATA_HOME:-$HOME/.local/share}/tzmediator}
for f in "$tzm_run" "$service" "$key_scan" "$signer" "$ta"; do
    [ -e "$f" ] || { echo "splitapp demo: $f is missing; build first (make demo does)" >&2; exit 1; }
done
work=$(mktemp -d "${TZM_TEST_TMPDIR:-${TMPDIR:-/tmp}}/splitapp-demo.XXXXXX")
work=$(cd "$work" && pwd -P)
sock=$work/signer.sock
pid=""
cleanup() {
    tzm_stop_bg "$pid"
    rm -rf "$work"
}
trap cleanup EXIT

# start_signer LOG CMD...: starts the signer in the background, waits (10 s) for it to listen.
start_signer() {
    local log=$1
    shift
    # shellcheck disable=SC2086
    ${TZM_EXEC_WRAPPER:-} "$@" >"$log" 2>&1 &
    pid=$!
    for _ in $(seq 1 100); do
        grep -q '^signer: ready' "$log" && return 0
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    cat "$log" >&2
    die "the signer did not become ready"
}

# stop_signer: SIGTERM (forwarded to the TA: its handler ends the accept loop), then wait at most 10 s.
stop_signer() {
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    pid=""
}

# scan LABEL ARGS...: key_scan must NOT find the key (exit 0); prints its verdict.
scan_absent() {
    local label=$1 out rc=0
    shift
    out=$(bounded 120 "$key_scan" --msg "$msg" --mac "$mac" "$@" 2>&1) || rc=$?
    [ "$rc" -eq 0 ] || { echo "$out" >&2; die "key_scan on $label: exit $rc (1 = key found)"; }
    info "$label: ${out#key_scan: }"
}

sed "s|@SCRATCH@|$work|g" "$here/signer-test.policy.in" | grep -v '^#' >"$work/signer.policy"
say "The split application: a service that needs MACs, and a TA that holds the key"
info "TA:      $ta"
info "         (examples/splitapp/signer.c, a POSIX program linked with libtzm)"
info "service: $service (normal world, talks to the TA over $sock)"
info "The TA's policy: it may create and serve exactly this socket, nothing else:"
sed 's/^/    | /' "$work/signer.policy"

say "1. Start the signer TA through its shadow (tzm-run)"
start_signer "$work/run1.log" "$tzm_run" --policy "$work/signer.policy" "$uuid" -- "$sock"
sed 's/^/    | /' "$work/run1.log"
grep -q 'key generated and stored' "$work/run1.log" || die "the first run did not create a key"
info "First run: the TA generated a key with TEE_GenerateRandom and stored it in secure storage."

say "2. The service uses the key without ever seeing it"
bounded 60 "$service" "$sock" check | sed 's/^/    | /'
[ "${PIPESTATUS[0]}" -eq 0 ] || die "the service's checks failed"
msg="pay 42 EUR to carol, invoice $(date +%s)"
mac=$(bounded 30 "$service" "$sock" sign "$msg")
id1=$(bounded 30 "$service" "$sock" key-id)
info "sign \"$msg\""
info "  -> MAC $mac"
info "key fingerprint (HMAC of a fixed label, safe to publish): $id1"

say "3. Look for the key in the normal world"
info "key_scan knows only the message and its MAC; it tries every 32-byte window as the key."
scan_absent "memory of the running shadow (pid $pid)" --pid "$pid"
mapfile -t files < <(find "$state" "$work" -type f -size +0)
[ "${#files[@]}" -gt 0 ] || die "no files in $state"
scan_absent "${#files[@]} files: TEE state dir (secure storage) + work dir" "${files[@]}"
info "The key is stored, but only encrypted (AES-GCM under the TEE's device key; the"
info "emulated TEE keeps that in device.key, where a real TEE has a hardware-unique key):"
find "$state" -type f -size +0 -printf '    | %P (%s bytes)\n' | head -n 8
stop_signer

say "   Positive control: the native developer build keeps its key in a plain file"
start_signer "$work/native.log" "$signer" "$work/native.sock" --dev-key-file "$work/dev.key"
nmac=$(bounded 30 "$service" "$work/native.sock" sign "$msg")
rc=0
out=$(bounded 60 "$key_scan" --msg "$msg" --mac "$nmac" "$work/dev.key") || rc=$?
[ "$rc" -eq 1 ] || die "key_scan missed the plain developer key (exit $rc)"
info "dev.key: ${out#key_scan: }"
rc=0
out=$(bounded 120 "$key_scan" --msg "$msg" --mac "$nmac" --pid "$pid") || rc=$?
[ "$rc" -eq 1 ] || die "key_scan missed the key in the native signer's memory (exit $rc)"
info "native signer process: ${out#key_scan: }"
stop_signer
info "So the scanner does find keys; it found none while the key lived in the TA."

say "4. Restart the TA: the key comes back from secure storage"
start_signer "$work/run2.log" "$tzm_run" --policy "$work/signer.policy" "$uuid" -- "$sock"
sed 's/^/    | /' "$work/run2.log"
grep -q 'key loaded from storage' "$work/run2.log" || die "the second run did not load the key"
id2=$(bounded 30 "$service" "$sock" key-id)
[ "$id1" = "$id2" ] || die "key fingerprint changed across the restart ($id1 / $id2)"
info "same key fingerprint: $id2"
verdict=$(bounded 30 "$service" "$sock" verify "$msg" "$mac") || die "the old MAC did not verify"
info "verify the MAC from the first run: $verdict"
rc=0
verdict=$(bounded 30 "$service" "$sock" verify "$msg." "$mac") || rc=$?
[ "$rc" -eq 1 ] || die "a tampered message verified (exit $rc)"
info "verify it against \"$msg.\" (one byte added): $verdict"
stop_signer
[ ! -e "$sock" ] || die "the signer left its socket behind after SIGTERM"
info "SIGTERM to tzm-run reached the TA's handler (accept() returned EINTR); it removed its socket and ended."
