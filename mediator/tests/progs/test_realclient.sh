#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Real clients through the mediator: unmodified tools (socat, nc) talk to the echo server
# running as a TA over TCP, UDP and UNIX sockets, and the TA client rc_client talks to a
# normal-world server (socat). Every exchange is checked byte for byte.
#
# usage: test_realclient.sh MODE --echo BIN --client BIN
#                           [--tzm-run PATH --echo-uuid UUID --client-uuid UUID]
#   MODE: tcp-socat tcp6-nc udp-socat unix-socat ta-client-unix ta-client-tcp
#   Without --tzm-run the native builds of the same sources are used (the test then
#   checks the tools and the programs only).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../../../examples/echo/echo_lib.sh
. "$here/../../../examples/echo/echo_lib.sh"

mode=$1
shift
echo_bin="" client_bin="" tzm_run="" echo_uuid="" client_uuid=""
while [ $# -gt 0 ]; do
    case "$1" in
    --echo) echo_bin=$2; shift 2 ;;
    --client) client_bin=$2; shift 2 ;;
    --tzm-run) tzm_run=$2; shift 2 ;;
    --echo-uuid) echo_uuid=$2; shift 2 ;;
    --client-uuid) client_uuid=$2; shift 2 ;;
    *) echo "test_realclient: unknown argument $1" >&2; exit 2 ;;
    esac
done
scratch=${TZM_TEST_TMPDIR:-$(mktemp -d)}
scratch=$(cd "$scratch" && pwd -P)
helper_pid=""
cleanup() {
    echo_stop
    if [ -n "$helper_pid" ]; then
        kill "$helper_pid" 2>/dev/null || true
        wait "$helper_pid" 2>/dev/null || true
    fi
}
trap cleanup EXIT

# policy TEMPLATE OUT: instantiates a policy template for this scratch dir.
policy() {
    sed "s|@SCRATCH@|$scratch|g" "$here/$1" >"$scratch/$2"
    echo "$scratch/$2"
}

# The echo server as a TA through the shadow, or natively.
echo_cmd() {
    if [ -n "$tzm_run" ]; then
        echo "$tzm_run" --policy "$(policy rc-echo.policy.in echo.policy)" "$echo_uuid" --
    else
        echo "$echo_bin"
    fi
}

# The client as a TA through the shadow, or natively.
client_cmd() {
    if [ -n "$tzm_run" ]; then
        echo "$tzm_run" --policy "$(policy rc-client.policy.in client.policy)" "$client_uuid" --
    else
        echo "$client_bin"
    fi
}

port_of() {
    echo "${ECHO_ADDR##*:}"
}

# expect_same A B WHAT: the bytes a tool got back must equal what it sent.
expect_same() {
    if ! cmp "$1" "$2"; then
        echo "test_realclient[$mode]: $3: reply differs ($(wc -c <"$2") of $(wc -c <"$1") bytes)" >&2
        exit 1
    fi
    echo "test_realclient[$mode]: $3: $(wc -c <"$1") bytes echoed intact"
}

# free_port: a loopback TCP port nobody listens on right now.
free_port() {
    local p
    for _ in $(seq 1 50); do
        p=$((20000 + RANDOM % 20000))
        if ! ss -Htln "sport = :$p" | grep -q .; then
            echo "$p"
            return 0
        fi
    done
    return 1
}

# wait_for CMD...: polls CMD for up to 60 s (a loaded machine, qemu-user).
wait_for() {
    for _ in $(seq 1 600); do
        if "$@"; then
            return 0
        fi
        sleep 0.1
    done
    return 1
}

head -c 300000 /dev/urandom >"$scratch/big.bin"
printf 'hello through the mediator\n' >"$scratch/small.txt"

case "$mode" in
tcp-socat)
    # shellcheck disable=SC2046
    echo_start "$scratch/server.out" $(echo_cmd) tcp 127.0.0.1:0 --count 2
    port=$(port_of)
    timeout 20 socat -t 5 - "TCP:127.0.0.1:$port" <"$scratch/small.txt" >"$scratch/r1"
    expect_same "$scratch/small.txt" "$scratch/r1" "socat tcp small"
    timeout 20 socat -t 5 - "TCP:127.0.0.1:$port" <"$scratch/big.bin" >"$scratch/r2"
    expect_same "$scratch/big.bin" "$scratch/r2" "socat tcp 300 KB"
    ;;
tcp6-nc)
    # shellcheck disable=SC2046
    echo_start "$scratch/server.out" $(echo_cmd) tcp '[::1]:0' --count 1
    port=$(port_of)
    timeout 20 nc -N ::1 "$port" <"$scratch/big.bin" >"$scratch/r1"
    expect_same "$scratch/big.bin" "$scratch/r1" "nc tcp6 300 KB"
    ;;
udp-socat)
    # shellcheck disable=SC2046
    echo_start "$scratch/server.out" $(echo_cmd) udp 127.0.0.1:0 --count 2
    port=$(port_of)
    timeout 20 socat -t 2 - "UDP:127.0.0.1:$port" <"$scratch/small.txt" >"$scratch/r1"
    expect_same "$scratch/small.txt" "$scratch/r1" "socat udp datagram"
    head -c 8000 "$scratch/big.bin" >"$scratch/dgram.bin"
    timeout 20 socat -t 2 -b 65536 - "UDP:127.0.0.1:$port" <"$scratch/dgram.bin" >"$scratch/r2"
    expect_same "$scratch/dgram.bin" "$scratch/r2" "socat udp 8000-byte datagram"
    ;;
unix-socat)
    # shellcheck disable=SC2046
    echo_start "$scratch/server.out" $(echo_cmd) unix "$scratch/echo.sock" --count 2
    timeout 20 socat -t 5 - "UNIX-CONNECT:$scratch/echo.sock" <"$scratch/small.txt" >"$scratch/r1"
    expect_same "$scratch/small.txt" "$scratch/r1" "socat unix small"
    timeout 20 socat -t 5 - "UNIX-CONNECT:$scratch/echo.sock" <"$scratch/big.bin" >"$scratch/r2"
    expect_same "$scratch/big.bin" "$scratch/r2" "socat unix 300 KB"
    ;;
ta-client-unix)
    socat "UNIX-LISTEN:$scratch/srv.sock,fork" EXEC:cat &
    helper_pid=$!
    wait_for test -S "$scratch/srv.sock"
    # shellcheck disable=SC2046
    timeout 30 ${TZM_EXEC_WRAPPER:-} $(client_cmd) unix "$scratch/srv.sock" "TA client over UNIX. " 5000
    ;;
ta-client-tcp)
    port=$(free_port)
    socat "TCP4-LISTEN:$port,bind=127.0.0.1,reuseaddr,fork" EXEC:cat &
    helper_pid=$!
    wait_for sh -c "ss -Htln 'sport = :$port' | grep -q ."
    # shellcheck disable=SC2046
    timeout 30 ${TZM_EXEC_WRAPPER:-} $(client_cmd) tcp "127.0.0.1:$port" "TA client over TCP. " 10000
    ;;
*)
    echo "test_realclient: unknown mode $mode" >&2
    exit 2
    ;;
esac
if [ -n "${ECHO_PID:-}" ] && ! echo_wait_exit 20; then
    echo "test_realclient[$mode]: echo server did not exit cleanly:" >&2
    cat "$scratch/server.out" >&2
    exit 1
fi
echo "test_realclient[$mode]: ok"
