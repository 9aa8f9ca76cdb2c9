#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# Runs in the QEMU guest (busybox sh): one echo round-trip case. Starts SERVER... with
# "KIND ADDR --count N", waits (bounded) for its ready line, runs echo_client against the
# endpoint it printed and requires the server to exit 0 by itself afterwards. Prints
# "@@TZM-MEDIAN NAME MICROSECONDS" for run.sh's ratio table.
#   echo-case.sh NAME KIND ADDR ROUNDS BYTES SERVER...
. "$(dirname "$0")/case-lib.sh"
name=$1 kind=$2 addr=$3 rounds=$4 bytes=$5
shift 5
count=1
[ "$kind" = udp ] && count=$rounds
out=/tmp/echo-server.$name.out
"$@" "$kind" "$addr" --count "$count" >"$out" 2>&1 &
pid=$!
if ! wait_line "$out" 'echo_server: ready' "$pid"; then
	echo "echo-case: $name: server not ready:"
	cat "$out"
	kill "$pid" 2>/dev/null
	exit 1
fi
endpoint=$(sed -n 's/^echo_server: ready //p' "$out" | head -1)
# shellcheck disable=SC2086 # the endpoint is "KIND ADDR"
if ! result=$(echo_client $endpoint -n "$rounds" -s "$bytes"); then
	echo "echo-case: $name: client failed: $result"
	cat "$out"
	kill "$pid" 2>/dev/null
	exit 1
fi
echo "$result"
wait "$pid"
rc=$?
cat "$out"
[ $rc -eq 0 ] || { echo "echo-case: $name: server exit $rc"; exit 1; }
echo "@@TZM-MEDIAN $name $(echo "$result" | sed -n 's/.*median \([0-9.]*\) us.*/\1/p')"
