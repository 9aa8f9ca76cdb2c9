# SPDX-License-Identifier: BSD-2-Clause
# Shell helpers shared by the echo tests, the real-client tests and demo.sh: start an echo
# server (native program or `tzm-run ... <uuid> -- ...`) in the background, wait for its
# "echo_server: ready KIND ADDR" line, and stop it. Source this file; it sets no options.
# Built programs are started through tzm_exec (cross builds: under qemu, cmake/tzm-exec.sh).
. "$(dirname "${BASH_SOURCE[0]}")/../../cmake/tzm-exec.sh"

# echo_start OUTFILE CMD...: starts CMD with stdout+stderr in OUTFILE; on success sets
# ECHO_PID, ECHO_KIND and ECHO_ADDR (from the ready line). Fails after 60 s without one
# (a loaded machine, qemu-user).
echo_start() {
    local out=$1 line=""
    shift
    : >"$out"
    tzm_exec "$@" >"$out" 2>&1 &
    ECHO_PID=$!
    for _ in $(seq 1 600); do
        line=$(grep -m1 '^echo_server: ready ' "$out" || true)
        if [ -n "$line" ]; then
            ECHO_KIND=$(echo "$line" | cut -d' ' -f3)
            ECHO_ADDR=$(echo "$line" | cut -d' ' -f4-)
            return 0
        fi
        if ! kill -0 "$ECHO_PID" 2>/dev/null; then
            echo "echo server exited before becoming ready:" >&2
            cat "$out" >&2
            return 1
        fi
        sleep 0.1
    done
    echo "echo server not ready after 60 s:" >&2
    cat "$out" >&2
    kill "$ECHO_PID" 2>/dev/null || true
    return 1
}

# echo_wait_exit SECONDS: waits for the server to exit by itself (--count), returns its
# status; kills it and returns 124 on timeout.
echo_wait_exit() {
    local limit=$1
    for _ in $(seq 1 $((limit * 10))); do
        if ! kill -0 "$ECHO_PID" 2>/dev/null; then
            wait "$ECHO_PID"
            return $?
        fi
        sleep 0.1
    done
    kill "$ECHO_PID" 2>/dev/null || true
    wait "$ECHO_PID" 2>/dev/null || true
    return 124
}

# echo_stop: terminates a server started without --count.
echo_stop() {
    if [ -n "${ECHO_PID:-}" ] && kill -0 "$ECHO_PID" 2>/dev/null; then
        kill -TERM "$ECHO_PID" 2>/dev/null || true
        wait "$ECHO_PID" 2>/dev/null || true
    fi
    ECHO_PID=""
}
