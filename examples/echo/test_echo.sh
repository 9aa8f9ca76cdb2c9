#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-2-Clause
# Echo round trips for one IPC kind: starts the server (native, or a TA through the
# shadow), runs two clients against it (small and large messages, every byte verified),
# and requires the server to exit 0 by itself after serving them (--count).
#
# usage: test_echo.sh KIND CLIENT [--policy TEMPLATE] -- SERVER_CMD...
#   KIND: fifo | unix | unix-abstract | tcp | tcp6 | udp | udp6
#   SERVER_CMD: the server without its arguments, e.g. `echo_server` or
#     `tzm-run --policy @POLICY@ <uuid> --`; @POLICY@ is replaced by the policy generated
#     from TEMPLATE (where @SCRATCH@ stands for this test's scratch dir).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=echo_lib.sh
. "$here/echo_lib.sh"

kind=$1 client=$2
shift 2
example_args echo "$@" || { echo "usage: test_echo.sh KIND CLIENT [--policy T] -- SERVER_CMD..." >&2; exit 2; }
scratch=$EX_SCRATCH
case "$kind" in
fifo) k=fifo addr="$scratch/echo" big=100000 ;;
unix) k=unix addr="$scratch/echo.sock" big=100000 ;;
# Abstract names share one namespace per network namespace: derive the name from the
# whole (unique) scratch path, never from its basename, which every CTest run shares.
unix-abstract) k=unix addr="@tzm-echo-$(printf '%s' "$scratch" | cksum | cut -d' ' -f1)-$$" big=100000 ;;
tcp) k=tcp addr="127.0.0.1:0" big=100000 ;;
tcp6) k=tcp addr="[::1]:0" big=100000 ;;
udp) k=udp addr="127.0.0.1:0" big=60000 ;;
udp6) k=udp addr="[::1]:0" big=60000 ;;
*) echo "test_echo: unknown kind $kind" >&2; exit 2 ;;
esac
small_rounds=20 big_rounds=5
count=2
[ "$k" = udp ] && count=$((small_rounds + big_rounds))

trap 'echo_stop' EXIT
echo_start "$scratch/server.out" "${EX_SERVER[@]}" "$k" "$addr" --count "$count"
echo "server ready: $ECHO_KIND $ECHO_ADDR"
tzm_exec "$client" "$ECHO_KIND" "$ECHO_ADDR" -n "$small_rounds" -s 4096
tzm_exec "$client" "$ECHO_KIND" "$ECHO_ADDR" -n "$big_rounds" -s "$big"
if ! echo_wait_exit 20; then
    echo "test_echo: server did not exit cleanly after $count clients:" >&2
    cat "$scratch/server.out" >&2
    exit 1
fi
echo "test_echo: $kind ok"
