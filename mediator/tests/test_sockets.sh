#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Real clients through the mediator: socat and nc against the program's TCP, UDP and UNIX
# echo servers, and the program as a TCP client of a socat server.
. "$(dirname "$0")/common.sh"
pol="$TMP/net.policy"
sock="$TMP/echo.sock"
cat >"$pol" <<EOP
tcp bind 127.0.0.1 *
tcp connect 127.0.0.1 *
udp bind 127.0.0.1 *
udp connect 127.0.0.1 *
unix $sock
EOP

# TCP: socat then nc
run_tzm --policy "$pol" -- echo tcp 0 2 >"$TMP/tcp.out" 2>"$TMP/tcp.err" &
pid=$!
if wait_for_line "$TMP/tcp.out" '^ready '; then
    port=$(awk '/^ready/ {print $2}' "$TMP/tcp.out")
    got=$(echo "hello over tcp" | timeout 10 socat - "TCP:127.0.0.1:$port")
    expect_eq "socat tcp echo" "hello over tcp" "$got"
    got=$(printf 'netcat says hi' | timeout 10 nc -N 127.0.0.1 "$port")
    expect_eq "nc tcp echo" "netcat says hi" "$got"
fi
wait $pid
expect_eq "tcp server exit" 0 "$?"
grep -q "served 2" "$TMP/tcp.out" || fail "tcp server did not finish"

# UDP
run_tzm --policy "$pol" -- echo udp 0 1 >"$TMP/udp.out" 2>"$TMP/udp.err" &
pid=$!
if wait_for_line "$TMP/udp.out" '^ready '; then
    port=$(awk '/^ready/ {print $2}' "$TMP/udp.out")
    got=$(echo "datagram" | timeout 10 socat -t 3 - "UDP:127.0.0.1:$port")
    expect_eq "socat udp echo" "datagram" "$got"
fi
wait $pid
expect_eq "udp server exit" 0 "$?"

# UNIX stream
run_tzm --policy "$pol" -- echo unix "$sock" 1 >"$TMP/unix.out" 2>"$TMP/unix.err" &
pid=$!
if wait_for_line "$TMP/unix.out" '^ready '; then
    got=$(echo "over a unix socket" | timeout 10 socat - "UNIX-CONNECT:$sock")
    expect_eq "socat unix echo" "over a unix socket" "$got"
fi
wait $pid
expect_eq "unix server exit" 0 "$?"
[ ! -e "$sock" ] || fail "socket file not removed by the program"

# the program as a client of a normal-world server. Its port is below the ephemeral range
# (32768-) and one found in use (by another test or program: socat's bind fails and it
# exits) is skipped for the next: a port drawn at random from 20000-39999 collided under
# a loaded -j4 run ("bind ... Address already in use").
for try in $(seq 1 20); do
    port=$((20000 + RANDOM % 12000))
    timeout 20 socat -d -d "TCP-LISTEN:$port,bind=127.0.0.1,reuseaddr" PIPE 2>"$TMP/srv.log" &
    spid=$!
    # our socat's own "listening on" line: /proc/net/tcp would also show the other listener
    for i in $(seq 1 1200); do
        grep -q "listening on" "$TMP/srv.log" && break 2
        kill -0 $spid 2>/dev/null || break
        sleep 0.05
    done
    wait $spid 2>/dev/null
    [ "$try" -lt 20 ] || fail "no free TCP port for the normal-world server in 20 tries"
done
run_tzm --policy "$pol" -- client "$port" "from the TA" >"$TMP/client.out" 2>"$TMP/client.err"
expect_eq "client exit" 0 "$?"
expect_eq "client transcript" "got from the TA" "$(cat "$TMP/client.out")"
kill $spid 2>/dev/null
wait $spid 2>/dev/null
cat "$TMP"/*.err >&2
finish
