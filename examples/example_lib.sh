# SPDX-License-Identifier: BSD-2-Clause
# Shell helpers shared by the example servers' tests (echo, httpd) and echo_lib.sh: the
# common command line (`[--policy TEMPLATE] -- SERVER_CMD...`), the scratch directory, and
# a server started in the background, waited for until it prints its ready line (bounded),
# then waited for until it exits by itself. Source this file; it sets no options. Built
# programs are started through tzm_exec (cross builds: under qemu, cmake/tzm-exec.sh), and
# the tree's shell helpers (cmake/tzm-script.sh) come with it.
. "$(dirname "${BASH_SOURCE[0]}")/../cmake/tzm-script.sh"

# example_args NAME [--policy TEMPLATE] -- SERVER_CMD...: sets EX_SCRATCH (this test's
# scratch directory, physical path) and the array EX_SERVER (SERVER_CMD, with @POLICY@
# replaced by EX_SCRATCH/NAME.policy, generated from TEMPLATE with @SCRATCH@ replaced by
# EX_SCRATCH, and @SCRATCH@ inside an argument by EX_SCRATCH). Returns 2 without a server
# command.
example_args() {
    local name=$1 template="" arg
    shift
    if [ "${1:-}" = "--policy" ]; then
        template=$2
        shift 2
    fi
    [ "${1:-}" = "--" ] && shift
    [ $# -ge 1 ] || return 2
    EX_SCRATCH=${TZM_TEST_TMPDIR:-$(mktemp -d)}
    EX_SCRATCH=$(cd "$EX_SCRATCH" && pwd -P)
    EX_SERVER=()
    for arg in "$@"; do
        if [ "$arg" = @POLICY@ ]; then
            sed "s|@SCRATCH@|$EX_SCRATCH|g" "$template" >"$EX_SCRATCH/$name.policy"
            arg="$EX_SCRATCH/$name.policy"
        fi
        arg=${arg//@SCRATCH@/$EX_SCRATCH}
        EX_SERVER+=("$arg")
    done
}

# example_start OUTFILE READY CMD...: starts CMD with stdout+stderr in OUTFILE; on success
# sets EX_PID and EX_READY (the rest of the first line starting with READY). Fails after
# 60 s without one (a loaded machine, qemu-user), or when the server exits first.
example_start() {
    local out=$1 ready=$2
    shift 2
    : >"$out"
    tzm_exec "$@" >"$out" 2>&1 &
    EX_PID=$!
    for _ in $(seq 1 600); do
        EX_READY=$(awk -v p="$ready" 'index($0, p) == 1 { print substr($0, length(p) + 1); exit }' "$out")
        if [ -n "$EX_READY" ]; then
            return 0
        fi
        if ! kill -0 "$EX_PID" 2>/dev/null; then
            echo "server exited before becoming ready:" >&2
            cat "$out" >&2
            return 1
        fi
        sleep 0.1
    done
    echo "server not ready after 60 s:" >&2
    cat "$out" >&2
    kill "$EX_PID" 2>/dev/null || true
    return 1
}

# example_wait_exit SECONDS: waits for the server to exit by itself, returns its status;
# kills it and returns 124 when it is still running after SECONDS.
example_wait_exit() {
    local limit=$1
    for _ in $(seq 1 $((limit * 10))); do
        if ! kill -0 "$EX_PID" 2>/dev/null; then
            wait "$EX_PID"
            return $?
        fi
        sleep 0.1
    done
    kill "$EX_PID" 2>/dev/null || true
    wait "$EX_PID" 2>/dev/null || true
    return 124
}

# example_stop: terminates a server that is still running.
example_stop() {
    if [ -n "${EX_PID:-}" ] && kill -0 "$EX_PID" 2>/dev/null; then
        kill -TERM "$EX_PID" 2>/dev/null || true
        wait "$EX_PID" 2>/dev/null || true
    fi
    EX_PID=""
}
