#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Runs in the QEMU guest (busybox sh): the attestation example on real OP-TEE.
#  1. provisioning: optee_pta_pubkey prints the attestation PTA's public key; it is pinned
#     in /tmp/pta.pem (a real deployment gets it once over a trusted channel);
#  2. the attest_server TA (examples/attest_remote, through tzm-run) answers attest_client's
#     fresh 64-byte challenge with tzm_attest_token(): the PTA's signed measurement of the
#     TA ("tzm-optee-pta" token); the client computes the expected measurement from the
#     .ta file and sends its secret only if the token verifies;
#     this runs against two TA instances (each at its own ASLR load address);
#  3. the second instance against a client expecting another TA (the echo TA's .ta file):
#     the client must refuse (exit 3) and the server must not get that secret.
#   attest-case.sh UUID PORT OTHER_TA_FILE
. "$(dirname "$0")/case-lib.sh"
uuid=$1 port=$2 other=$3
ta=/lib/optee_armtz/$uuid.ta
log=/tmp/attest-server.log
pid=

fail() {
	echo "attest-case: $*"
	[ -s "$log" ] && cat "$log"
	[ -n "$pid" ] && kill -TERM "$pid" 2>/dev/null
	exit 1
}

optee_pta_pubkey >/tmp/pta.pem || fail "no PTA public key"
cat /tmp/pta.pem
start_server() { # COUNT
	: >"$log" # empty before the start: the previous run's ready line must not count
	tzm-run --policy /etc/tzm/attest_server.policy "$uuid" -- 127.0.0.1 "$port" \
		--count "$1" >"$log" 2>&1 &
	pid=$!
	wait_line "$log" 'attest_server: listening' "$pid" || fail "server not ready"
}

stop_server() { # SECRETS_RECEIVED
	wait "$pid"
	rc=$?
	pid=
	cat "$log"
	[ $rc -eq 0 ] || fail "server exit $rc"
	[ "$(grep -c 'received a secret' "$log")" -eq "$1" ] ||
		fail "the server must get the secret $1 time(s)"
}

good_client() {
	attest_client 127.0.0.1 "$port" --optee-key /tmp/pta.pem --optee-ta "$ta" \
		--save-token /tmp/attest.token --secret "open sesame"
	rc=$?
	[ $rc -eq 0 ] || fail "expected TA: client exit $rc (want 0)"
	echo "token: $(wc -c </tmp/attest.token) bytes"
}

# two TA instances (each loaded at its own ASLR offset) give the expected measurement
start_server 1
good_client
stop_server 1
start_server 2
good_client
attest_client 127.0.0.1 "$port" --optee-key /tmp/pta.pem --optee-ta "$other" \
	--secret "open sesame"
rc=$?
[ $rc -eq 3 ] || fail "other TA expected: client exit $rc (want 3, refused)"
stop_server 1
grep -q 'client withheld the secret' "$log" || fail "refused client: server did not see it"
echo "attest-case: ok (PTA-signed measurement verified in two TA instances; another TA's" \
	"measurement refused)"
