#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# wasm_sockets: a Wasm TA using socket/setsockopt/bind/listen/getsockname (the "tzm"
# import module) and WASI's sock_accept/recv/send echoes TCP, UDP and UNIX to native clients
# (socat) under a policy that allows exactly its port; without the rule, bind is refused.
# Then the other "tzm" imports: mkfifo (under a fifo rule, refused without one), getaddrinfo
# of numeric addresses, and every new import given out-of-range pointers and lengths,
# overlong or malformed names and bad flags (each answers its errno or EAI code).
#   test_sockets.sh <tzm-run> <uuid>
set -u
. "$(dirname "$0")/../../cmake/tzm-exec.sh"
run=$1 uuid=$2
tmp=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; for f in "$tmp"/*; do echo "--- $f"; cat "$f"; done; exit 1; }
command -v socat >/dev/null || { echo "socat missing: skipped"; exit 77; }
# A port below Linux's ephemeral range (32768-60999), where other programs' outgoing
# connections take theirs (one did: "FAILED: bind (errno 3)", EADDRINUSE, under load with
# other suites running); a port still in use is skipped for the next (start_server).
port_base=$((20000 + $$ % 12000))
port=$port_base

wait_ready() { # <file>: bounded wait for the server's line
	for _ in $(seq 1 200); do
		grep -q "listening on port" "$1" 2>/dev/null && return 0
		kill -0 "$pid" 2>/dev/null || return 1
		sleep 0.05
	done
	return 1
}

sock=$tmp/echo.sock
for proto in tcp udp unix; do
	for try in $(seq 0 19); do
		port=$((port_base + try))
		where=$port
		if [ "$proto" = unix ]; then
			printf 'unix %s\n' "$sock" >"$tmp/policy"
			where=$sock
		else
			printf '%s bind 127.0.0.1 %s\n' "$proto" "$port" >"$tmp/policy"
		fi
		${TZM_EXEC_WRAPPER:-} "$run" --policy "$tmp/policy" "$uuid" -- "$proto" "$where" >"$tmp/$proto.out" 2>"$tmp/$proto.err" &
		pid=$!
		wait_ready "$tmp/$proto.out" && break
		kill -0 "$pid" 2>/dev/null && fail "$proto: server not ready"
		wait "$pid"
		pid=
		[ "$proto" != unix ] && grep -qx "FAILED: bind (errno 3)" "$tmp/$proto.out" ||
			fail "$proto: server not ready"
		echo "note: $proto port $port in use, trying the next"
	done
	[ -n "$pid" ] || fail "$proto: 20 ports in use from $port_base"
	grep -qx "listening on port $where" "$tmp/$proto.out" || fail "$proto: getsockname"
	case $proto in
	tcp) reply=$(printf 'hello over tcp\n' | socat -t 5 - "TCP:127.0.0.1:$port") ;;
	udp) reply=$(printf 'hello over udp\n' | socat -t 5 - "UDP:127.0.0.1:$port") ;;
	unix) reply=$(printf 'hello over unix\n' | socat -t 5 - "UNIX-CONNECT:$sock") ;;
	esac
	[ "$reply" = "hello over $proto" ] || fail "$proto: reply '$reply'"
	wait "$pid"
	rc=$?
	pid=
	[ "$rc" -eq 0 ] || fail "$proto: server exit $rc"
	grep -qx "echoed $((12 + ${#proto})) bytes" "$tmp/$proto.out" || fail "$proto: byte count"
	echo "ok: $proto"
done

: >"$tmp/empty.policy"
tzm_exec "$run" --policy "$tmp/empty.policy" "$uuid" -- tcp "$port" >"$tmp/deny.out" 2>"$tmp/deny.err"
grep -qx "FAILED: bind (errno 2)" "$tmp/deny.out" || fail "bind without a rule not refused (EACCES)"
grep -q "policy: denied" "$tmp/deny.err" || fail "no denial logged"
# mkfifo: allowed under the fifo rule's directory, EACCES beside it
mkdir "$tmp/fifos"
printf 'fifo %s\n' "$tmp/fifos" >"$tmp/fifo.policy"
tzm_exec "$run" --policy "$tmp/fifo.policy" --env "TZM_WASM_PREOPEN=$tmp" "$uuid" -- fifo "$tmp/fifos" "$tmp" \
	>"$tmp/fifo.out" 2>"$tmp/fifo.err" || fail "fifo: exit $?"
grep -qx "fifo ok" "$tmp/fifo.out" || fail "fifo"
[ -p "$tmp/fifos/ok" ] || fail "fifo: no FIFO made"
[ ! -e "$tmp/denied" ] || fail "fifo: made without a rule"
echo "ok: mkfifo"

tzm_exec "$run" --policy "$tmp/empty.policy" "$uuid" -- resolve >"$tmp/resolve.out" 2>"$tmp/resolve.err" ||
	fail "resolve: exit $?"
grep -qx "resolve ok" "$tmp/resolve.out" || fail "resolve"
echo "ok: getaddrinfo"

tzm_exec "$run" --policy "$tmp/fifo.policy" --env "TZM_WASM_PREOPEN=$tmp/fifos" "$uuid" -- badinput "$tmp/fifos" \
	>"$tmp/bad.out" 2>"$tmp/bad.err" || fail "badinput: exit $?"
grep -qx "badinput: 0 failed" "$tmp/bad.out" || fail "badinput"
[ "$(ls "$tmp/fifos")" = ok ] || fail "badinput: a bad call made a file: $(ls "$tmp/fifos")"
echo "ok: bad input"
echo "PASS"
