# SPDX-License-Identifier: BSD-2-Clause
# Shell helpers shared by the echo tests, the real-client tests and demo.sh: start an echo
# server (native program or `tzm-run ... <uuid> -- ...`) in the background, wait for its
# "echo_server: ready KIND ADDR" line, and stop it. Source this file; it sets no options.
# The generic start / wait / stop are examples/example_lib.sh's.
. "$(dirname "${BASH_SOURCE[0]}")/../example_lib.sh"

# echo_start OUTFILE CMD...: starts CMD with stdout+stderr in OUTFILE; on success sets
# ECHO_PID, ECHO_KIND and ECHO_ADDR (from the ready line). Fails after 60 s without one
# (a loaded machine, qemu-user).
echo_start() {
    local out=$1 rc=0
    shift
    example_start "$out" "echo_server: ready " "$@" || rc=$?
    ECHO_PID=$EX_PID
    [ "$rc" -eq 0 ] || return "$rc"
    ECHO_KIND=${EX_READY%% *}
    ECHO_ADDR=${EX_READY#* }
}

# echo_wait_exit SECONDS: waits for the server to exit by itself (--count), returns its
# status; kills it and returns 124 on timeout.
echo_wait_exit() {
    EX_PID=$ECHO_PID
    example_wait_exit "$1"
}

# echo_stop: terminates a server started without --count.
echo_stop() {
    EX_PID=${ECHO_PID:-}
    example_stop
    ECHO_PID=""
}
