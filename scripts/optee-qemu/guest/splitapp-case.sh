#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Runs in the QEMU guest (busybox sh): the split application on real OP-TEE. The signer
# TA keeps its HMAC key in OP-TEE secure storage; the service checks sign/verify/tamper
# through it; key_scan must not find the key in tzm-run's memory nor in any file under
# /var/lib/tee (tee-supplicant's REE FS) or /tmp; a second TA instance must load the same
# key from storage (same fingerprint, the first MAC still verifies).
#   splitapp-case.sh UUID
. "$(dirname "$0")/case-lib.sh"
uuid=$1
sock=/tmp/tzm-splitapp.sock
msg="pay 42 EUR to carol"
pid=

start_signer() { # LOG
	tzm-run --policy /etc/tzm/signer.policy "$uuid" -- "$sock" >"$1" 2>&1 &
	pid=$!
	if ! wait_line "$1" 'signer: ready' "$pid"; then
		echo "splitapp-case: signer not ready:"
		cat "$1"
		exit 1
	fi
}

stop_signer() {
	kill -TERM "$pid"
	wait "$pid"
	pid=
}

fail() {
	echo "splitapp-case: $*"
	[ -n "$pid" ] && kill -TERM "$pid"
	exit 1
}

start_signer /tmp/signer1.log
cat /tmp/signer1.log
grep -q 'key generated and stored' /tmp/signer1.log || fail "first run did not create the key"
splitapp_service "$sock" check || fail "service checks failed"
mac=$(splitapp_service "$sock" sign "$msg") || fail "sign failed"
id1=$(splitapp_service "$sock" key-id) || fail "key-id failed"
echo "MAC $mac, key id $id1"
splitapp_key_scan --msg "$msg" --mac "$mac" --pid "$pid" || fail "key found in tzm-run's memory"
files=$(find /var/lib/tee /tmp -type f -size +0)
# shellcheck disable=SC2086 # one word per file
splitapp_key_scan --msg "$msg" --mac "$mac" $files || fail "key found in a normal-world file"
echo "scanned tzm-run's memory and $(echo "$files" | wc -w) files: no key"
stop_signer

start_signer /tmp/signer2.log
cat /tmp/signer2.log
grep -q 'key loaded from storage' /tmp/signer2.log || fail "second run did not load the key"
id2=$(splitapp_service "$sock" key-id) || fail "key-id failed"
[ "$id1" = "$id2" ] || fail "key fingerprint changed across TA instances"
splitapp_service "$sock" verify "$msg" "$mac" || fail "the first MAC does not verify"
if splitapp_service "$sock" verify "$msg." "$mac"; then
	fail "a tampered message verified"
fi
stop_signer
echo "splitapp-case: ok (key from OP-TEE secure storage, same key in a new instance)"
